/// The two languages of the pages. Chinese comes first: most staff read it.
public enum Language: String, CaseIterable, Sendable {
    case zh, en

    /// The best language for an `Accept-Language` header: the first of ours by the sender's
    /// weights, Chinese when the header names neither.
    public static func preferred(by header: String?) -> Language {
        guard let header else { return .zh }
        var best: (language: Language, weight: Double)? = nil
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
            guard let tag = parts.first?.lowercased() else { continue }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let language: Language? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            if let language, weight > 0, weight > (best?.weight ?? 0) { best = (language, weight) }
        }
        return best?.language ?? .zh
    }

    /// The language's own name, for the switch on every page.
    public var ownName: String { self == .zh ? "中文" : "English" }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
