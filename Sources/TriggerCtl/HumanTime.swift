import Engine
import Foundation

/// Short, stable renderings of times and durations for tables.
enum HumanTime {
    /// `420ms`, `4.2s`, `42s`, `3m04s`, `2h05m`, `3d04h`; negative or non-finite inputs give `0ms`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0ms" }
        // Nearest, not down: a difference of parsed timestamps such as 8.6 - 0.5 is 8.0999….
        let millis = (seconds * 1000).rounded()
        if millis < 1000 { return "\(Int(millis))ms" }
        let tenths = (seconds * 10).rounded()
        if tenths < 100 { return String(format: "%.1fs", tenths / 10) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        if whole < 86_400 { return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60) }
        return String(format: "%dd%02dh", whole / 86_400, whole % 86_400 / 3600)
    }

    /// An API timestamp shown in UTC to the second (`2026-11-26T09:00:00Z`); unparsable text is returned as is.
    static func timestamp(_ text: String) -> String {
        guard let date = Timestamp.parse(text) else { return text }
        return Self.timestamp(date)
    }

    /// A date shown in UTC to the second (`2026-11-26T09:00:00Z`).
    static func timestamp(_ date: Date) -> String {
        let full = Timestamp.format(date)  // 2026-11-26T09:00:00.123Z
        guard let dot = full.firstIndex(of: ".") else { return full }
        return String(full[..<dot]) + "Z"
    }

    /// Seconds between two API timestamps; `end` defaults to `now` for something still going on.
    static func elapsed(from start: String?, to end: String?, now: Date) -> Double? {
        guard let start, let began = Timestamp.parse(start) else { return nil }
        let finished = end.flatMap { Timestamp.parse($0) } ?? now
        return finished.timeIntervalSince(began)
    }
}
