import Engine

/// Percent-encoded `name=value&…` text for `query` and `form`.
enum URLQuery {
    /// Name-value pairs of an object, sorted by name; a list value repeats the name, null leaves it out.
    static func pairs(_ value: JSONValue?, field: String) throws -> [(String, String)] {
        switch value ?? .null {
        case .null: return []
        case .object(let fields):
            var pairs: [(String, String)] = []
            for name in fields.keys.sorted() {
                switch fields[name]! {
                case .null: continue
                case .array(let items): pairs += items.filter { $0 != .null }.map { (name, $0.interpolated) }
                case let single: pairs.append((name, single.interpolated))
                }
            }
            return pairs
        default:
            throw StepFailure("'with.\(field)' must be an object of names to values", retryable: false)
        }
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(self.escape($0.0))=\(self.escape($0.1))" }.joined(separator: "&")
    }

    /// `url` with the pairs added to its query (before any fragment).
    static func appending(_ pairs: [(String, String)], to url: String) throws -> String {
        guard !pairs.isEmpty else { return url }
        var base = Substring(url)
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = base[..<hash]
        }
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + self.encode(pairs) + fragment
    }

    /// Everything but RFC 3986 unreserved characters as %XX of its UTF-8 bytes.
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
