import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string, in order.
/// A name may repeat (checkboxes); `self["name"]` is the first value, trimmed.
public struct FormData: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    public init(encoded: String) {
        for item in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value given for `name`, trimmed; nil when absent or blank.
    public subscript(name: String) -> String? {
        guard
            let value = pairs.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    public mutating func set(_ name: String, _ value: String?) {
        pairs.removeAll { $0.name == name }
        if let value { pairs.append((name, value)) }
    }
}
