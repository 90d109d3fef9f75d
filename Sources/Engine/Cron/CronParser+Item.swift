extension CronParser {
    /// Parses one list item of a field and adds what it matches to `fields`.
    ///
    /// A step may be larger than the item's range, as Debian's `crontab` allows: the item then selects the
    /// range's first value only (`*/61` in minutes is minute 0), and a warning says so.
    static func parseItem(
        _ item: CronToken, as field: CronField, into fields: inout CronFields, warnings: inout [CronWarning]
    ) throws(CronError) {
        if field == .dayOfMonth, try self.parseDayOfMonthSpecial(item, into: &fields) { return }
        if field == .dayOfWeek, try self.parseDayOfWeekSpecial(item, into: &fields) { return }

        let parts = item.split(on: "/")
        if parts.count > 2 {
            throw CronError(
                column: parts[2].column - 1,
                message: "\(field.name) field: more than one '/' in '\(item.text)'"
            )
        }
        var step = 1
        if parts.count == 2 {
            step = try self.parseStep(parts[1], of: field)
        }
        let base = parts[0]
        let low: Int
        var high: Int
        if base.text == "*" || base.text == "?" {
            if base.text == "?" && !field.isDayField {
                throw CronError(
                    column: base.column,
                    message: "\(field.name) field: '?' is only allowed in the day-of-month and day-of-week fields"
                )
            }
            (low, high) = (field.starBounds.lowerBound, field.starBounds.upperBound)
        } else if let dash = base.firstOffset(of: "-") {
            let start = base.piece(0..<dash)
            let end = base.piece(dash + 1..<base.count)
            low = try self.parseValue(start, of: field)
            high = try self.parseValue(end, of: field)
            if low > high {
                // `FRI-SUN`: a range may end on Sunday written as 0.
                if field == .dayOfWeek && high == 0 {
                    high = 7
                } else {
                    throw CronError(
                        column: start.column,
                        message: "\(field.name) field: range \(base.text) is backwards (write it as "
                            + "\(start.text)-\(field.bounds.upperBound),\(field.bounds.lowerBound)-\(end.text))"
                    )
                }
            }
        } else {
            low = try self.parseValue(base, of: field)
            // `a/n` runs from a to the end of the field; a plain value is just itself.
            high = parts.count == 2 ? max(low, field.starBounds.upperBound) : low
        }
        if parts.count == 2, high > low, step > high - low {
            warnings.append(self.singleValueWarning(item, step: step, column: parts[1].column, value: low, field: field))
        }
        for value in stride(from: low, through: high, by: step) {
            self.add(value, to: field, in: &fields)
        }
    }

    private static func add(_ value: Int, to field: CronField, in fields: inout CronFields) {
        switch field {
        case .second: fields.seconds |= UInt64(1) << UInt64(value)
        case .minute: fields.minutes |= UInt64(1) << UInt64(value)
        case .hour: fields.hours |= UInt64(1) << UInt64(value)
        case .dayOfMonth: fields.daysOfMonth |= UInt64(1) << UInt64(value)
        case .month: fields.months |= UInt64(1) << UInt64(value)
        case .dayOfWeek: fields.daysOfWeek |= UInt64(1) << UInt64(value % 7)
        }
    }

    /// A step is any whole number from 1 up, as Debian's parser reads it; one that reaches past the end of the
    /// range is allowed and leaves only the range's first value.
    private static func parseStep(_ token: CronToken, of field: CronField) throws(CronError) -> Int {
        let example = "as in '*/\(field == .dayOfWeek ? 2 : 15)'"
        guard !token.isEmpty else {
            throw CronError(
                column: token.column - 1,
                message: "\(field.name) field: missing step after '/' (expected a whole number from 1 up, \(example))"
            )
        }
        guard token.chars.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CronError(
                column: token.column,
                message: "\(field.name) field: step '\(token.text)' is not a number (expected a whole number from 1 up, "
                    + "\(example))"
            )
        }
        guard let step = token.number else {
            throw CronError(
                column: token.column,
                message: "\(field.name) field: step \(token.text) is too large (any step of \(field.starBounds.count) or "
                    + "more selects only the first value)"
            )
        }
        guard step >= 1 else {
            throw CronError(column: token.column, message: "\(field.name) field: step 0 is not allowed (a step is at least 1)")
        }
        return step
    }

    /// `minute field: step 61 in '*/61' selects only 0, ...`: the item is valid but one value is likely a mistake.
    private static func singleValueWarning(_ item: CronToken, step: Int, column: Int, value: Int, field: CronField)
        -> CronWarning
    {
        let name = field.names.first { $0.value == value }.map { " (\($0.key))" } ?? ""
        var message = "\(field.name) field: step \(step) in '\(item.text)' reaches past the end of its range, so it selects "
            + "only \(value)\(name), as in Debian cron"
        // In a day field, writing the value instead could lose a leading '*', which decides how the two day
        // fields combine, so no replacement is offered there.
        if !field.isDayField { message += "; write '\(value)' if that is what you mean" }
        return CronWarning(column: column, message: message)
    }

    /// A number or (month, day-of-week) a three-letter name, checked against the field's range.
    static func parseValue(_ token: CronToken, of field: CronField) throws(CronError) -> Int {
        let prefix = "\(field.name) field:"
        guard !token.isEmpty else {
            throw CronError(column: token.column, message: "\(prefix) missing value (expected \(field.accepts))")
        }
        let allDigits = token.chars.allSatisfy { $0.isASCII && $0.isNumber }
        if allDigits {
            guard let value = token.number, field.bounds.contains(value) else {
                let bounds = "\(field.bounds.lowerBound)-\(field.bounds.upperBound)"
                throw CronError(column: token.column, message: "\(prefix) \(token.text) is out of range (\(bounds))")
            }
            return value
        }
        let upper = token.text.uppercased()
        if let value = field.names[upper] { return value }
        throw CronError(
            column: token.column,
            message: "\(prefix) \(self.explainBadValue(token.text, upper: upper, field: field))"
        )
    }

    /// Why a value token was refused, with a pointer to the right field for the day specials.
    private static func explainBadValue(_ text: String, upper: String, field: CronField) -> String {
        let digitsThen = { (suffix: Character) in
            upper.count > 1 && upper.last == suffix && upper.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
        }
        let misplaced = "'\(text)' can't be part of a range or take a step"
        if upper.contains("#") {
            return field == .dayOfWeek ? misplaced : "'\(text)': only the day-of-week field accepts '#' (as in 'MON#2')"
        }
        if digitsThen("W") || upper == "LW" {
            return field == .dayOfMonth ? misplaced : "'\(text)': only the day-of-month field accepts 'W' (as in '15W')"
        }
        if upper == "L" || digitsThen("L") {
            return field.isDayField ? misplaced : "'\(text)': only the day-of-month and day-of-week fields accept 'L'"
        }
        return "'\(text)' is not \(field.valueNoun) (expected \(field.accepts))"
    }
}
