import ArgumentParser
import Foundation
import LedgerCore

enum Console {
    static func fail(_ message: String) -> Never {
        printNote("error: " + message)
        Foundation.exit(1)
    }

    /// A line for the person at the keyboard that is not the command's output: on standard error,
    /// so that what scripts read stays as it is.
    static func printNote(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Keeps `value` in memory until the process ends, so that it is never freed piece by piece.
    static func keepUntilExit(_ value: some Sendable) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<Value: Sendable>: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Two decimals, for scores.
    static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    static func printJSON(_ value: JSONValue) {
        print(value.prettyText)
    }

    /// Standard output written a megabyte at a time: a node's whole log or export is printed
    /// as it is read, never held whole. Whatever is left is written by `flush`.
    struct Output {
        private var buffer: [UInt8] = []

        mutating func write(_ text: String) {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 20 { flush() }
        }

        mutating func flush() {
            // Whatever `print` left in the C library's buffer goes first, in the order printed.
            fflush(nil)
            FileHandle.standardOutput.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Prints a JSON array as `printJSON` would, an element at a time; `finish` closes it.
    struct JSONArray {
        private var output = Output()
        private var empty = true

        mutating func print(_ element: JSONValue) {
            output.write((empty ? "[" : ",") + "\n  " + element.prettyText(atDepth: 1))
            empty = false
        }

        mutating func finish() {
            output.write(empty ? "[]\n" : "\n]\n")
            output.flush()
        }
    }

    /// Prints rows as aligned columns; Chinese characters count two columns wide.
    static func printTable(_ header: [String], _ rows: [[String]], maxWidth: Int = 32) {
        let shown = header.allSatisfy(\.isEmpty) ? rows : [header] + rows
        let cells = shown.map { $0.map { truncate($0, to: maxWidth) } }
        var widths = [Int](repeating: 0, count: header.count)
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        for row in cells { print(line(row, widths)) }
    }

    /// A row of cells, each but the last padded to its column's width, two spaces apart.
    static func line(_ row: [String], _ widths: [Int]) -> String {
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(widths[i] - displayWidth(cell), 0))
        }.joined(separator: "  ")
    }

    /// Prints rows as `printTable` lays them out, a row at a time, when how wide each column's
    /// cells run is known before the first (cells fitting `printTable`'s width, not cut).
    struct Columns {
        private var output = Output()
        private let widths: [Int]

        init(_ header: [String], widths: [Int]) {
            self.widths = zip(header, widths).map { max(displayWidth($0), $1) }
            print(header)
        }

        mutating func print(_ row: [String]) { output.write(line(row, widths) + "\n") }

        mutating func finish() { output.flush() }
    }

    static func truncate(_ text: String, to width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard displayWidth(flat) > width else { return flat }
        var out = ""
        for c in flat {
            if displayWidth(out + String(c)) > width - 1 { break }
            out.append(c)
        }
        return out + "…"
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let v = scalar.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            let zeroWidth = scalar.properties.generalCategory == .nonspacingMark
            return total + (zeroWidth ? 0 : wide ? 2 : 1)
        }
    }
}
