public import Foundation

extension DateFormatter {
    /// `date(from:)` for text from outside (expressions, HTTP headers), without its trap.
    ///
    /// swift-corelibs-foundation stops the process ("Incorrect range") when a parse ends inside a grapheme
    /// cluster: `parseDate('1\u{301}', 'd')` (a digit plus a combining accent) crashed the daemon (found by
    /// `make fuzz`, FuzzExpressions). When every character is one UTF-16 unit, every position the parser can
    /// stop at is a character boundary; other text (combining marks, emoji) is never a date in a pattern, so
    /// it is simply not a date.
    public func date(fromUntrusted text: String) -> Date? {
        guard Self.isParseable(text) else { return nil }
        return self.date(from: text)
    }

    /// Whether `date(from:)` can parse `text` without trapping: each character is a single UTF-16 unit.
    public static func isParseable(_ text: String) -> Bool {
        text.utf16.count == text.count
    }
}
