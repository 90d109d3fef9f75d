import Foundation

/// Runs `matches()` with bounds: input and pattern lengths are capped, and matching is abandoned after
/// a fixed amount of engine progress, so a catastrophic pattern like `(a+)+$` cannot hang a run.
enum RegexMatcher {
    /// Longest text searched, in UTF-16 units.
    static let maxTextLength = 100_000
    /// Longest pattern accepted.
    static let maxPatternLength = 1_000
    /// Progress callbacks allowed before giving up (ICU reports progress every few thousand steps;
    /// measured at roughly 0.15 ms each, so this is a few hundred milliseconds at worst).
    static let maxProgressReports = 2_000

    static func matches(_ text: String, pattern: String, call: FunctionCall) throws(FunctionError) -> Bool {
        guard pattern.utf16.count <= self.maxPatternLength else {
            throw call.failure("pattern is longer than \(self.maxPatternLength) characters")
        }
        let length = text.utf16.count
        guard length <= self.maxTextLength else {
            throw call.failure("text is longer than \(self.maxTextLength) characters")
        }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw call.failure("invalid regular expression")
        }
        var found = false
        var reports = 0
        var gaveUp = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: length)) {
            result,
            _,
            stop in
            if result != nil {
                found = true
                stop.pointee = true
                return
            }
            reports += 1
            if reports > self.maxProgressReports {
                gaveUp = true
                stop.pointee = true
            }
        }
        if gaveUp { throw call.failure("regular expression took too long on this input") }
        return found
    }
}
