import Engine
import Foundation

/// Escaping and the few formatting helpers every console page shares. Every value that came from a record, a
/// workflow file or a request goes through `escape` before it becomes part of a page.
enum HTML {
    /// `text` with `& < > " '` replaced by entities: safe inside element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A path segment for a link: everything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }

    /// `path?k=v&...` with the non-empty parameters in order, values percent-encoded, then HTML-escaped for an
    /// attribute.
    static func link(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(name)=\(Self.segment(value))"
        }
        return Self.escape(pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&"))
    }

    /// A status badge; the class picks the colour (`s-completed`, `s-failed`, ...).
    static func badge(_ status: String) -> String {
        "<span class=\"badge s-\(Self.escape(status))\" data-badge>\(Self.escape(status))</span>"
    }

    /// A UTC time as `2027-01-15 08:00:00Z` inside a `<time>` element with the RFC 3339 form as its datetime.
    static func time(_ date: Date?) -> String {
        guard let date else { return "<span class=\"muted\">—</span>" }
        let stamp = Timestamp.format(date)
        let shown = stamp.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: ".000Z", with: "Z")
        return "<time datetime=\"\(Self.escape(stamp))\">\(Self.escape(shown))</time>"
    }

    /// A duration such as `4ms`, `2.5s`, `3m 10s`, `1h 2m`; empty when `start` is nil.
    static func duration(from start: Date?, to end: Date?, now: Date = Date()) -> String {
        guard let start else { return "" }
        let seconds = max(0, (end ?? now).timeIntervalSince(start))
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        if seconds < 3600 { return "\(Int(seconds) / 60)m \(Int(seconds) % 60)s" }
        if seconds < 86400 { return "\(Int(seconds) / 3600)h \(Int(seconds) % 3600 / 60)m" }
        return "\(Int(seconds) / 86400)d \(Int(seconds) % 86400 / 3600)h"
    }

    /// A JSON value pretty-printed in a `<pre>`, escaped.
    static func json(_ value: JSONValue?) -> String {
        guard let value else { return "<span class=\"muted\">—</span>" }
        return "<pre class=\"json\">\(Self.escape(value.jsonString(pretty: true)))</pre>"
    }

    /// The hidden CSRF field every form carries.
    static func csrfField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(Self.escape(token))\">"
    }

    /// An argument for a shell command line shown to copy: quoted only when it needs to be.
    static func shellWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { Self.shellSafe.contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    private static let shellSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:=@+,")
}
