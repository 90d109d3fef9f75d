/// Turns cron expression text into a `CronSchedule.Rule`, with errors that name the field and column.
///
/// Grammar per field: a comma-separated list of items; an item is `*` or `?` (day fields only), a value, a range
/// `a-b`, any of those with a step (`*/n`, `a-b/n`, `a/n`), or a day special (`L`, `L-n`, `nW`, `LW` in
/// day-of-month; `nL`, `n#k` in day-of-week). Names (`JAN`, `mon`) work in the month and day-of-week fields.
enum CronParser {
    /// What each nickname stands for (all are plain 5-field expressions).
    static let nicknames: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses an expression into its rule and the warnings about items that are accepted but look unintended.
    static func parse(_ text: String) throws(CronError) -> (rule: CronSchedule.Rule, warnings: [CronWarning]) {
        let words = CronToken.words(of: text)
        guard let first = words.first else {
            throw CronError(
                column: 1,
                message: "empty cron expression (expected 5 or 6 fields such as '*/15 * * * *', "
                    + "or a nickname such as '@daily')"
            )
        }
        if first.chars.first == "@" {
            return (try self.parseNickname(first, rest: Array(words.dropFirst())), [])
        }
        guard words.count == 5 || words.count == 6 else {
            let column = words.count > 6 ? words[6].column : 1
            throw CronError(
                column: column,
                message: "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), "
                    + "found \(words.count)"
            )
        }
        var warnings: [CronWarning] = []
        let rule = try self.parseFields(words, warnings: &warnings)
        return (rule, warnings)
    }

    private static func parseNickname(_ word: CronToken, rest: [CronToken]) throws(CronError) -> CronSchedule.Rule {
        let name = word.text.lowercased()
        if name == "@every" {
            guard let duration = rest.first else {
                throw CronError(
                    column: word.column,
                    message: "@every needs a duration, as in '@every 5m' or '@every 1h30m'"
                )
            }
            if rest.count > 1 {
                throw CronError(
                    column: rest[1].column,
                    message: "@every takes one duration with no spaces, as in '@every 1h30m'"
                )
            }
            let seconds: Double
            do {
                seconds = try DurationText.parse(duration.text)
            } catch {
                throw CronError(column: duration.column, message: "@every: \(error.description)")
            }
            guard seconds >= 1 else {
                throw CronError(
                    column: duration.column,
                    message: "@every: interval '\(duration.text)' is shorter than the minimum of 1s"
                )
            }
            guard seconds.rounded() == seconds else {
                throw CronError(
                    column: duration.column,
                    message: "@every: interval '\(duration.text)' is not a whole number of seconds"
                )
            }
            // About 3,000 years; beyond that the interval is surely a typo, and Int64 arithmetic stays safe.
            guard seconds <= 1e11 else {
                throw CronError(column: duration.column, message: "@every: interval '\(duration.text)' is too long")
            }
            return .every(seconds: Int64(seconds))
        }
        guard let expansion = self.nicknames[name] else {
            throw CronError(
                column: word.column,
                message: "unknown nickname '\(word.text)' (expected @yearly, @annually, @monthly, @weekly, @daily, "
                    + "@midnight, @hourly or @every DURATION)"
            )
        }
        if let extra = rest.first {
            throw CronError(column: extra.column, message: "'\(word.text)' takes nothing after it")
        }
        var none: [CronWarning] = []
        return try self.parseFields(CronToken.words(of: expansion), warnings: &none)
    }

    /// Parses 5 or 6 words. A 5-field expression is "fixed-time" (wall-clock DST rule) when neither its minute
    /// nor its hour field starts with `*`, as Debian cron decides.
    private static func parseFields(_ words: [CronToken], warnings: inout [CronWarning]) throws(CronError)
        -> CronSchedule.Rule
    {
        let hasSeconds = words.count == 6
        let layout: [CronField] =
            hasSeconds
            ? [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek]
            : [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        var fields = CronFields()
        if !hasSeconds { fields.seconds = 1 }
        for (word, field) in zip(words, layout) {
            try self.parseField(word, as: field, into: &fields, warnings: &warnings)
        }
        let startsWithStar = { (word: CronToken) in word.chars.first == "*" }
        let fixedTime = !hasSeconds && !startsWithStar(words[0]) && !startsWithStar(words[1])
        if !fields.firesAtAll {
            let word = { (field: CronField) in words[layout.firstIndex(of: field) ?? 0] }
            let day = word(.dayOfMonth)
            throw CronError(
                column: day.column,
                message: "never fires: no date matches day-of-month '\(day.text)', month '\(word(.month).text)' and "
                    + "day-of-week '\(word(.dayOfWeek).text)' in any year"
            )
        }
        return .calendar(fields, fixedTime: fixedTime)
    }

    private static func parseField(
        _ word: CronToken, as field: CronField, into fields: inout CronFields, warnings: inout [CronWarning]
    ) throws(CronError) {
        for (index, item) in word.split(on: ",").enumerated() {
            if item.isEmpty {
                // Point at the comma next to the hole.
                throw CronError(
                    column: index == 0 ? word.column : item.column - 1,
                    message: "\(field.name) field: empty item in the list '\(word.text)'"
                )
            }
            try self.parseItem(item, as: field, into: &fields, warnings: &warnings)
        }
        let star = word.chars.first == "*" || word.chars.first == "?"
        if field == .dayOfMonth { fields.dayOfMonthIsStar = star }
        if field == .dayOfWeek { fields.dayOfWeekIsStar = star }
    }
}
