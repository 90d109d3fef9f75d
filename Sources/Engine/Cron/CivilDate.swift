/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), with no time zone.
///
/// The cron search runs on a "local timeline": wall-clock seconds counted as if the zone were UTC.
/// Doing the calendar with integers keeps `next()` free of `Calendar` and its allocations; the time zone
/// is consulted only to convert between the local timeline and real instants.
struct CivilDate: Hashable, Sendable {
    var year: Int64
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int

    static let secondsPerDay: Int64 = 86_400

    /// The day number of this date (0 is 1970-01-01; negative before).
    var dayNumber: Int64 {
        // Count years from March so the leap day is the last day of the counted year.
        let y = self.month <= 2 ? self.year - 1 : self.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(self.month > 2 ? self.month - 3 : self.month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(self.day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(year: Int64, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of a day number.
    init(dayNumber: Int64) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
    }

    /// Day of the week of a day number, 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(ofDay dayNumber: Int64) -> Int {
        Int(((dayNumber + 4) % 7 + 7) % 7)
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: self.isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (the local timeline has negative seconds before 1970).
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }

    /// The remainder matching `floorDivided(by:)`, always in 0..<divisor for a positive divisor.
    func floorModulo(_ divisor: Int64) -> Int64 {
        self - self.floorDivided(by: divisor) * divisor
    }
}
