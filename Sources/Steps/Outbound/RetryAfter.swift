import Engine
import Foundation

/// Reads an HTTP `Retry-After` value: delay seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
enum RetryAfter {
    /// The longest wait honoured: a server asking for more gets this, so a run is not parked for days by one header.
    static let maximum = 3_600.0

    /// Seconds to wait from `now`, or nil when the header is absent or unreadable. Dates in the past give 0.
    static func seconds(_ header: String?, now: Date) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return min(seconds, self.maximum) }
        guard let date = self.date(text) else { return nil }
        return min(max(0, date.timeIntervalSince(now)), self.maximum)
    }

    /// IMF-fixdate, and the two obsolete forms RFC 9110 §5.6.7 says recipients must accept.
    private static func date(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            // A formatter per call: DateFormatter is not Sendable, and Retry-After is rare enough.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            // Not `date(from:)`: a server's header ending in a combining mark would trap in Foundation.
            if let date = formatter.date(fromUntrusted: text) { return date }
        }
        return nil
    }
}
