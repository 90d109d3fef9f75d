import Foundation

extension FunctionRegistry {
    /// Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: dates outside are refused.
    private static let dateRange: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    mutating func registerDateFunctions() {
        self.register("now", arity: 0...0, signature: "now()", summary: "the run's current time, RFC 3339 in UTC") {
            call throws(FunctionError) in .string(RFC3339.format(call.now))
        }
        self.register(
            "formatDate",
            arity: 2...3,
            signature: "formatDate(date, format, timeZone?)",
            summary:
                "a date (RFC 3339 text or unix seconds) as text: format 'rfc3339', 'unix' (a number)"
                + " or a pattern like 'yyyy-MM-dd HH:mm'"
        ) { call throws(FunctionError) in
            let date = try Self.date(call, 0)
            let format = try call.string(1)
            let zone = try Self.timeZone(call, 2)
            switch format.lowercased() {
            case "rfc3339", "iso8601":
                return .string(RFC3339.format(date, offsetSeconds: zone.secondsFromGMT(for: date)))
            case "unix": return .number(date.timeIntervalSince1970)
            default:
                return .string(try Self.formatter(format, zone, call).string(from: date))
            }
        }
        self.register(
            "parseDate",
            arity: 1...3,
            signature: "parseDate(text, format?, timeZone?)",
            summary:
                "RFC 3339 text in UTC for a date written as RFC 3339 (default), unix seconds,"
                + " or in a pattern like 'dd.MM.yyyy'"
        ) { call throws(FunctionError) in
            let format = call.has(1) ? try call.string(1) : "rfc3339"
            let date: Date
            switch format.lowercased() {
            case "rfc3339", "iso8601", "unix":
                date = try Self.date(call, 0)
            default:
                let text = try call.string(0)
                guard DateFormatter.isParseable(text) else {
                    throw call.failure("the text has combined characters (such as a letter and a separate accent)")
                }
                guard let parsed = try Self.formatter(format, try Self.timeZone(call, 2), call).date(fromUntrusted: text)
                else {
                    throw call.failure("the text does not match the format")
                }
                date = parsed
            }
            guard Self.dateRange.contains(date.timeIntervalSince1970) else {
                throw call.failure("date out of range (years 1 to 9999)")
            }
            return .string(RFC3339.format(date))
        }
        self.register(
            "addDuration",
            arity: 2...2,
            signature: "addDuration(date, duration)",
            summary: "the date moved by a duration like '1h30m' or '-15m' (or a number of seconds), RFC 3339 in UTC"
        ) { call throws(FunctionError) in
            let date = try Self.date(call, 0)
            let seconds: Double
            switch call.argument(1) {
            case .number(let n): seconds = n
            case .string(let text):
                let negative = text.hasPrefix("-")
                do {
                    seconds = try DurationText.parse(negative ? String(text.dropFirst()) : text) * (negative ? -1 : 1)
                } catch {
                    throw call.failure("argument 2 must be a duration like '90s', '5m', '1h30m' or '-1d'")
                }
            default: throw call.typeFailure(1, expected: "a duration string or a number of seconds")
            }
            let moved = date.timeIntervalSince1970 + seconds
            guard Self.dateRange.contains(moved) else { throw call.failure("date out of range (years 1 to 9999)") }
            return .string(RFC3339.format(Date(timeIntervalSince1970: moved)))
        }
    }

    /// Argument `index` as an instant: unix seconds, or RFC 3339 text (or a string of digits, read as unix seconds).
    private static func date(_ call: FunctionCall, _ index: Int) throws(FunctionError) -> Date {
        let seconds: Double
        switch call.argument(index) {
        case .number(let n): seconds = n
        case .string(let text):
            if let date = RFC3339.parse(text) {
                seconds = date.timeIntervalSince1970
            } else if let n = Double(text), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) {
                seconds = n
            } else {
                throw call.failure(
                    "argument \(index + 1) is not an RFC 3339 date-time (like 2024-05-01T12:00:00Z) or unix seconds"
                )
            }
        default: throw call.typeFailure(index, expected: "a date (RFC 3339 text or unix seconds)")
        }
        guard Self.dateRange.contains(seconds) else { throw call.failure("date out of range (years 1 to 9999)") }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Argument `index` as a time zone: an IANA name (`Europe/Berlin`), `UTC`, or an offset like `+02:00`.
    /// UTC when absent.
    private static func timeZone(_ call: FunctionCall, _ index: Int) throws(FunctionError) -> TimeZone {
        guard call.has(index) else { return TimeZone(secondsFromGMT: 0) ?? .current }
        let name = try call.string(index)
        if let offset = Self.offset(name), let zone = TimeZone(secondsFromGMT: offset) { return zone }
        guard let zone = TimeZone(identifier: name) else {
            let known = TimeZone.knownTimeZoneIdentifiers
            let hint = DidYouMean.suggest(name, from: known).map { " (did you mean '\($0)'?)" } ?? ""
            throw call.failure("unknown time zone '\(name)'\(hint)")
        }
        return zone
    }

    /// Seconds east of UTC for `+HH:MM`, `-HH:MM`, `Z`, or `nil`.
    private static func offset(_ text: String) -> Int? {
        if text == "Z" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            bytes[3] == UInt8(ascii: ":"),
            let hours = Int(String(decoding: bytes[1...2], as: UTF8.self)),
            let minutes = Int(String(decoding: bytes[4...5], as: UTF8.self)),
            hours < 24, minutes < 60
        else { return nil }
        return (hours * 3600 + minutes * 60) * (bytes[0] == UInt8(ascii: "-") ? -1 : 1)
    }

    /// A fresh formatter per call: `DateFormatter` is not safe to share across threads.
    private static func formatter(_ pattern: String, _ zone: TimeZone, _ call: FunctionCall) throws(FunctionError)
        -> DateFormatter
    {
        guard pattern.count <= 200 else { throw call.failure("format is longer than 200 characters") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter
    }
}
