/// Parses and prints the duration syntax of workflow files: `500ms`, `10s`, `5m`, `2h`, `1d`, `1h30m`.
public enum DurationText {
    /// Why a duration string was refused, phrased for a diagnostic.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]

    /// Parses a duration into seconds. Units must be whole numbers, e.g. `1h30m`, `90s`, `250ms`.
    public static func parse(_ text: String) throws(Failure) -> Double {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else {
            throw Failure(description: "empty duration (expected e.g. '30s', '5m', '1h30m')")
        }
        var total = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Double(digits) else {
                throw Failure(description: "bad duration '\(text)' (expected e.g. '500ms', '10s', '5m', '2h', '1d', '1h30m')")
            }
            rest = rest.dropFirst(digits.count)
            guard let unit = self.units.first(where: { rest.hasPrefix($0.suffix) }) else {
                throw Failure(description: "bad duration '\(text)' (expected a unit: ms, s, m, h or d, as in '10s')")
            }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.seconds
        }
        return total
    }

    /// Prints seconds in the same syntax, largest units first (`5400` → `1h30m`).
    public static func format(_ seconds: Double) -> String {
        if seconds < 1 && seconds > 0 { return "\(Int((seconds * 1000).rounded()))ms" }
        var remaining = Int(seconds.rounded())
        if remaining == 0 { return "0s" }
        var out = ""
        for (suffix, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where remaining >= size {
            out += "\(remaining / size)\(suffix)"
            remaining %= size
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = self.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = self.lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
