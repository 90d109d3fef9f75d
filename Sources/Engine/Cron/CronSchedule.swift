public import Foundation

/// A parsed `schedule:` of a cron trigger: a 5- or 6-field cron expression, a nickname, or `@every DURATION`.
///
/// Fire times are computed in a time zone following Debian cron's DST rules (SPEC §5):
/// - A *fixed-time* expression (5 fields, minute and hour not starting with `*`, such as `30 2 * * *`) follows the
///   local wall clock: a time inside a spring-forward gap fires once at the first instant after the gap, and a
///   time repeated by a fall-back fires once, at its first occurrence.
/// - Every other expression (`*/15 * * * *`, `0 * * * *`, any 6-field one) follows absolute time: it fires at each
///   instant whose local time matches, so nothing fires inside a gap and a repeated hour fires in both copies.
/// - `@every` fires at whole multiples of the interval since the Unix epoch, whatever the zone, so its slots
///   stay the same across restarts.
///
/// ```swift
/// let schedule = try CronSchedule.parse("0 9 * * MON-FRI")
/// let next = schedule.next(after: .now, in: TimeZone(identifier: "Europe/Berlin")!)
/// ```
public struct CronSchedule: Sendable, Hashable {
    /// What the text compiled to.
    enum Rule: Hashable, Sendable {
        /// Calendar fields; `fixedTime` selects the wall-clock DST rule.
        case calendar(CronFields, fixedTime: Bool)
        /// `@every`: a whole number of seconds, at least 1.
        case every(seconds: Int64)
    }

    /// The expression as written.
    public let text: String
    let rule: Rule
    /// Items that are valid but probably not meant, such as `*/61` (which selects minute 0 only).
    public let warnings: [CronWarning]

    /// How far ahead `next(after:in:)` looks, in local days: the Gregorian 400-year cycle plus a year. Parsing
    /// refuses an expression that matches no date of a whole cycle, so every other one has a match within this
    /// horizon from any start (`0 0 29 2 1`, a 29 February that is a Monday, can be 40 years away).
    static let horizonDays: Int64 = CronFields.cycleDays + 366

    init(text: String, rule: Rule, warnings: [CronWarning] = []) {
        self.text = text
        self.rule = rule
        self.warnings = warnings
    }

    /// Parses an expression; the error names the field, the column and what the field accepts. An expression
    /// that matches no date at all (`0 0 30 2 *`) is refused: it would never fire.
    public static func parse(_ text: String) throws(CronError) -> CronSchedule {
        let parsed = try CronParser.parse(text)
        return CronSchedule(text: text, rule: parsed.rule, warnings: parsed.warnings)
    }

    /// True when the wall-clock DST rule applies (a 5-field expression whose minute and hour fields do not
    /// start with `*`, including `@daily`, `@weekly`, `@monthly` and `@yearly`).
    public var isFixedTime: Bool {
        if case .calendar(_, fixedTime: true) = self.rule { return true }
        return false
    }

    /// First fire strictly after `date` in `timeZone`, however far away it is. Nil only when there is none:
    /// beyond the year 300,000, or when every matching local time falls in a time zone's gaps.
    ///
    /// Fire times are whole seconds.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        self.next(after: date, in: timeZone, through: nil)
    }

    /// First fire strictly after `date` and not after `end` (when given). A bound keeps the search short: a
    /// schedule that fires once in decades costs little when only the next few days are asked about.
    func next(after date: Date, in timeZone: TimeZone, through end: Date?) -> Date? {
        let raw = date.timeIntervalSince1970
        // Beyond ±300,000 years the calendar arithmetic could overflow; no schedule fires there.
        guard raw.isFinite, abs(raw) < 1e13 else { return nil }
        let earliest = Int64(raw.rounded(.down)) + 1
        let fire: Int64?
        switch self.rule {
        case .every(let interval):
            // The first multiple of the interval at or after `earliest` (ceiling division).
            fire = -((-earliest).floorDivided(by: interval)) * interval
        case .calendar(let fields, let fixedTime):
            let search = CronSearch(fields: fields, fixedTime: fixedTime, zone: ZoneTimeline(timeZone))
            var horizon = Self.horizonDays
            if let end {
                // Local days from the start to `end`, plus a day each side for the zone's offset.
                let days = ((end.timeIntervalSince1970 - raw) / 86_400).rounded(.up)
                if days.isFinite, days < Double(horizon) { horizon = max(0, Int64(days)) + 2 }
            }
            fire = search.firstFire(atOrAfter: earliest, horizonDays: horizon)
        }
        let found = fire.map { Date(timeIntervalSince1970: Double($0)) }
        if let end, let found, found > end { return nil }
        return found
    }

    /// Fire times in (`start`, `end`], the earliest `limit` of them, in order (used for catch-up after downtime).
    public func fireTimes(after start: Date, through end: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        var fires: [Date] = []
        var cursor = start
        while fires.count < limit, let fire = self.next(after: cursor, in: timeZone, through: end) {
            fires.append(fire)
            cursor = fire
        }
        return fires
    }
}
