extension CronParser {
    /// `L`, `L-n`, `LW` and `nW`. Returns false when the item is not one of them.
    static func parseDayOfMonthSpecial(_ item: CronToken, into fields: inout CronFields) throws(CronError) -> Bool {
        let upper = item.text.uppercased()
        let prefix = "day-of-month field:"
        if upper == "L" {
            fields.lastDayOffsets |= 1
            return true
        }
        if upper == "LW" {
            fields.lastWeekdayOfMonth = true
            return true
        }
        if upper.hasPrefix("L-") {
            let days = item.piece(2..<item.count)
            guard let offset = days.number else {
                throw CronError(
                    column: days.isEmpty ? item.column : days.column,
                    message: "\(prefix) '\(item.text)' needs a number of days before the last day, as in 'L-3'"
                )
            }
            guard offset <= 30 else {
                throw CronError(column: days.column, message: "\(prefix) \(item.text) is out of range (L-0 to L-30)")
            }
            fields.lastDayOffsets |= UInt64(1) << UInt64(offset)
            return true
        }
        if upper.hasSuffix("W") && !upper.contains("/") && !upper.contains("-") {
            let day = item.piece(0..<item.count - 1)
            guard !day.isEmpty else {
                throw CronError(
                    column: item.column,
                    message: "\(prefix) 'W' needs a day before it, as in '15W' (the weekday nearest the 15th)"
                )
            }
            let value = try self.parseValue(day, of: .dayOfMonth)
            fields.nearestWeekdays |= UInt64(1) << UInt64(value)
            return true
        }
        return false
    }

    /// `nL` (last weekday n of the month) and `n#k` (k-th weekday n). Returns false for anything else.
    static func parseDayOfWeekSpecial(_ item: CronToken, into fields: inout CronFields) throws(CronError) -> Bool {
        let upper = item.text.uppercased()
        let prefix = "day-of-week field:"
        if let hash = item.firstOffset(of: "#") {
            let day = item.piece(0..<hash)
            let occurrence = item.piece(hash + 1..<item.count)
            let weekday = try self.parseValue(day, of: .dayOfWeek) % 7
            guard let nth = occurrence.number else {
                throw CronError(
                    column: occurrence.isEmpty ? item.column + hash : occurrence.column,
                    message: "\(prefix) '\(item.text)' needs an occurrence 1-5 after '#', as in 'MON#2'"
                )
            }
            guard (1...5).contains(nth) else {
                throw CronError(
                    column: occurrence.column,
                    message: "\(prefix) occurrence \(nth) in '\(item.text)' is out of range (1-5)"
                )
            }
            fields.nthWeekdays |= UInt64(1) << UInt64((nth - 1) * 7 + weekday)
            return true
        }
        if upper == "L" {
            throw CronError(
                column: item.column,
                message: "\(prefix) 'L' needs a day before it, as in '5L' (the last Friday)"
            )
        }
        if upper.count > 1 && upper.hasSuffix("L") && !upper.contains("/") && !upper.contains("-") {
            let weekday = try self.parseValue(item.piece(0..<item.count - 1), of: .dayOfWeek) % 7
            fields.lastWeekdays |= UInt64(1) << UInt64(weekday)
            return true
        }
        return false
    }
}
