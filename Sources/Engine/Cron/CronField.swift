/// One of the six positions of a cron expression, with its name, range and accepted spellings.
enum CronField: Int, CaseIterable, Sendable {
    case second, minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in diagnostics: `hour field: 24 is out of range (0-23)`.
    var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Every value the field accepts when written out (day-of-week allows 7 as a second Sunday).
    var bounds: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// What `*` and the open end of `a/n` cover: day-of-week stops at Saturday so `1/2` is Mon, Wed, Fri.
    var starBounds: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : self.bounds
    }

    /// How the field's values are described in diagnostics.
    var accepts: String {
        switch self {
        case .month: "1-12 or JAN-DEC"
        case .dayOfWeek: "0-7 or SUN-SAT"
        default: "\(self.bounds.lowerBound)-\(self.bounds.upperBound)"
        }
    }

    /// Three-letter names, any case, and the value each stands for.
    var names: [String: Int] {
        switch self {
        case .month:
            [
                "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
            ]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        default:
            [:]
        }
    }

    /// The word for one value in "is not a ..." messages.
    var valueNoun: String {
        switch self {
        case .month: "a month"
        case .dayOfWeek: "a day"
        default: "a number"
        }
    }

    /// True for the two fields where `?` (same as `*`) and `L` may appear.
    var isDayField: Bool { self == .dayOfMonth || self == .dayOfWeek }
}
