public import Foundation

/// RFC 3339 timestamps in UTC, as every API answer and stored record uses them.
public enum Timestamp {
    /// `2026-11-26T23:33:57.123Z` (milliseconds kept; `Z` for UTC).
    public static func format(_ date: Date) -> String {
        // Microseconds first: a date made from whole milliseconds (x / 1000) must not print one millisecond
        // early because x / 1000 * 1000 came out a hair under x.
        let ms = Int64(((date.timeIntervalSince1970 * 1_000_000).rounded() / 1000).rounded(.down))
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let civil = CivilTime(unixSeconds: seconds)
        guard (0...9999).contains(civil.year) else {
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", civil.year, civil.month, civil.day, civil.hour,
                civil.minute, civil.second, Int(millis))
        }
        // Digits written directly: `String(format:)` went through Foundation's formatter on every event row.
        return String(unsafeUninitializedCapacity: 24) { out in
            var i = 0
            func put(_ value: Int, _ width: Int) {
                var v = value
                var at = i + width - 1
                while at >= i {
                    out[at] = UInt8(48 + v % 10)
                    v /= 10
                    at -= 1
                }
                i += width
            }
            func sep(_ byte: UInt8) {
                out[i] = byte
                i += 1
            }
            put(civil.year, 4); sep(45); put(civil.month, 2); sep(45); put(civil.day, 2); sep(84)
            put(civil.hour, 2); sep(58); put(civil.minute, 2); sep(58); put(civil.second, 2); sep(46)
            put(Int(millis), 3); sep(90)
            return i
        }
    }

    /// Parses RFC 3339 (`2026-01-01T09:00:00Z`, `...+01:00`, fractional seconds optional); nil if malformed.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<from + count] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 20, let year = num(0, 4), chars[4] == 45, let month = num(5, 2), chars[7] == 45,
            let day = num(8, 2), chars[10] == 84 || chars[10] == 116 || chars[10] == 32, let hour = num(11, 2),
            chars[13] == 58, let minute = num(14, 2), chars[16] == 58, let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < chars.count, chars[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < chars.count, chars[i] >= 48 && chars[i] <= 57 {
                fraction += Double(chars[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < chars.count else { return nil }
        var offset = 0
        if chars[i] == 90 || chars[i] == 122 {
            i += 1
        } else if chars[i] == 43 || chars[i] == 45, let oh = num(i + 1, 2), chars.count > i + 3, chars[i + 3] == 58,
            let om = num(i + 4, 2)
        {
            offset = (oh * 3600 + om * 60) * (chars[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == chars.count else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// Proleptic Gregorian calendar arithmetic in UTC (Howard Hinnant's civil-days algorithms).
struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(unixSeconds: Int64) {
        var days = unixSeconds / 86_400
        var rem = unixSeconds % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        self.month = Int(m)
        self.day = Int(d)
        self.hour = Int(rem / 3600)
        self.minute = Int(rem % 3600 / 60)
        self.second = Int(rem % 60)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
