/// The compiled calendar fields of a cron expression, as bit sets, with the matching queries the search needs.
///
/// Bit `n` of a set means value `n` matches (`minutes` bit 30 = minute 30; `months` bit 1 = January;
/// `daysOfWeek` bit 0 = Sunday). The day-of-month and day-of-week specials (`L`, `L-n`, `nW`, `LW`, `nL`,
/// `n#k`) depend on the month, so they are kept apart and resolved per month by `dayMask(year:month:)`.
struct CronFields: Hashable, Sendable {
    var seconds: UInt64 = 0
    var minutes: UInt64 = 0
    var hours: UInt64 = 0
    /// Bits 1...31.
    var daysOfMonth: UInt64 = 0
    /// Bits 1...12.
    var months: UInt64 = 0
    /// Bits 0...6, Sunday = 0 (a `7` in the expression is stored as 0).
    var daysOfWeek: UInt64 = 0
    /// `L-n`: bit n means "n days before the last day of the month" (`L` is bit 0).
    var lastDayOffsets: UInt64 = 0
    /// `nW`: bit n means "the weekday nearest to day n, within the month".
    var nearestWeekdays: UInt64 = 0
    /// `LW`: the last weekday (Monday to Friday) of the month.
    var lastWeekdayOfMonth = false
    /// `wL`: bit w means "the last weekday w of the month" (`5L` = last Friday).
    var lastWeekdays: UInt64 = 0
    /// `w#k`: bit (k-1)*7+w means "the k-th weekday w of the month" (`1#2` = second Monday).
    var nthWeekdays: UInt64 = 0
    /// The day-of-month field starts with `*` or `?` (Vixie's DOM_STAR).
    var dayOfMonthIsStar = false
    /// The day-of-week field starts with `*` or `?` (Vixie's DOW_STAR).
    var dayOfWeekIsStar = false

    /// Days in the Gregorian calendar's 400-year cycle: 146,097, a whole number of weeks, so dates and weekdays
    /// repeat after it and a search over one cycle sees every combination of day, month and weekday there is.
    static let cycleDays: Int64 = 146_097

    /// Whether any date ever matches. False for `0 0 30 2 *` or `0 0 31 4,6,9,11 *`; true for `0 0 29 2 *` (leap
    /// years) and `0 0 30 2 MON` (Vixie's rule: Mondays in February match). Checked over one whole cycle.
    var firesAtAll: Bool {
        self.nextMatch(from: 0, throughDay: Self.cycleDays) != nil
    }

    /// The smallest set bit at index `from` or above, if any.
    static func nextBit(in mask: UInt64, from index: Int) -> Int? {
        guard index < 64 else { return nil }
        let rest = mask & (~UInt64(0) << UInt64(max(index, 0)))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// The days of a month that match, as bits 1...31, applying Vixie's rule: when either day field starts
    /// with `*` a day must match both fields, otherwise it must match either.
    func dayMask(year: Int64, month: Int) -> UInt64 {
        let length = CivilDate.daysInMonth(year: year, month: month)
        let validDays = ((UInt64(1) << UInt64(length + 1)) - 1) & ~UInt64(1)
        let firstWeekday = CivilDate.weekday(ofDay: CivilDate(year: year, month: month, day: 1).dayNumber)
        // Weekday of day d is (firstWeekday + d - 1) % 7.
        let lastWeekday = (firstWeekday + length - 1) % 7

        var byMonthDay = self.daysOfMonth & validDays
        self.forEachBit(self.lastDayOffsets) { offset in
            if offset < length { byMonthDay |= UInt64(1) << UInt64(length - offset) }
        }
        self.forEachBit(self.nearestWeekdays) { day in
            guard day <= length else { return }
            let target: Int
            switch (firstWeekday + day - 1) % 7 {
            case 6: target = day == 1 ? 3 : day - 1  // Saturday: Friday before, or Monday if that leaves the month
            case 0: target = day == length ? day - 2 : day + 1  // Sunday: Monday after, or Friday before
            default: target = day
            }
            byMonthDay |= UInt64(1) << UInt64(target)
        }
        if self.lastWeekdayOfMonth {
            let back = lastWeekday == 6 ? 1 : (lastWeekday == 0 ? 2 : 0)
            byMonthDay |= UInt64(1) << UInt64(length - back)
        }

        var byWeekday: UInt64 = 0
        self.forEachBit(self.daysOfWeek) { weekday in
            var day = 1 + (weekday - firstWeekday + 7) % 7
            while day <= length {
                byWeekday |= UInt64(1) << UInt64(day)
                day += 7
            }
        }
        self.forEachBit(self.lastWeekdays) { weekday in
            byWeekday |= UInt64(1) << UInt64(length - (lastWeekday - weekday + 7) % 7)
        }
        self.forEachBit(self.nthWeekdays) { index in
            let day = 1 + (index % 7 - firstWeekday + 7) % 7 + 7 * (index / 7)
            if day <= length { byWeekday |= UInt64(1) << UInt64(day) }
        }

        if self.dayOfMonthIsStar || self.dayOfWeekIsStar {
            return byMonthDay & byWeekday
        }
        return byMonthDay | byWeekday
    }

    /// The first matching time of day (seconds since midnight) at or after `start`, if any.
    func nextTimeOfDay(from start: Int) -> Int? {
        var hour = start / 3600
        var minute = start / 60 % 60
        var second = start % 60
        while let h = Self.nextBit(in: self.hours, from: hour) {
            if h != hour { (minute, second) = (0, 0) }
            while let m = Self.nextBit(in: self.minutes, from: minute) {
                if m != minute { second = 0 }
                if let s = Self.nextBit(in: self.seconds, from: second) {
                    return h * 3600 + m * 60 + s
                }
                (minute, second) = (m + 1, 0)
            }
            (hour, minute, second) = (h + 1, 0, 0)
        }
        return nil
    }

    /// The first matching local time at or after `start` on the local timeline (wall-clock seconds counted as if
    /// UTC), on a day no later than `lastDay`. Skips whole months and non-matching days without looking at times.
    func nextMatch(from start: Int64, throughDay lastDay: Int64) -> Int64? {
        let startDay = start.floorDivided(by: CivilDate.secondsPerDay)
        let startTime = Int(start.floorModulo(CivilDate.secondsPerDay))
        let startDate = CivilDate(dayNumber: startDay)
        var (year, month, firstDay) = (startDate.year, startDate.month, startDate.day)
        while true {
            let monthStart = CivilDate(year: year, month: month, day: 1).dayNumber
            if monthStart + Int64(firstDay) - 1 > lastDay { return nil }
            if self.months & (UInt64(1) << UInt64(month)) != 0 {
                var days = self.dayMask(year: year, month: month) & (~UInt64(0) << UInt64(firstDay))
                while days != 0 {
                    let dayNumber = monthStart + Int64(days.trailingZeroBitCount) - 1
                    if dayNumber > lastDay { return nil }
                    if let time = self.nextTimeOfDay(from: dayNumber == startDay ? startTime : 0) {
                        return dayNumber * CivilDate.secondsPerDay + Int64(time)
                    }
                    days &= days - 1
                }
            }
            (month, firstDay) = (month + 1, 1)
            if month > 12 { (year, month) = (year + 1, 1) }
        }
    }

    private func forEachBit(_ mask: UInt64, _ body: (Int) -> Void) {
        var rest = mask
        while rest != 0 {
            body(rest.trailingZeroBitCount)
            rest &= rest - 1
        }
    }
}
