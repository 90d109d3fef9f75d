import Foundation
import Testing

@testable import Engine

/// Helpers shared by the Cron*Tests files: instants written as RFC 3339 text, fire times printed the same way.
enum CronTesting {
    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            Issue.record("unknown time zone \(identifier)")
            return TimeZone(secondsFromGMT: 0) ?? .current
        }
        return zone
    }

    /// Parses `2026-03-08T03:00:00-04:00` or `2026-03-08T07:00:00Z` (and fractional seconds `...:59.5Z`).
    static func instant(_ text: String) -> Date {
        let chars = Array(text)
        func number(_ range: Range<Int>) -> Int { Int(String(chars[range])) ?? 0 }
        let day = CivilDate(year: Int64(number(0..<4)), month: number(5..<7), day: number(8..<10)).dayNumber
        var seconds = Double(day * 86_400) + Double(number(11..<13) * 3600 + number(14..<16) * 60 + number(17..<19))
        var rest = 19
        if chars.count > 19 && chars[19] == "." {
            var end = 20
            while end < chars.count && chars[end].isNumber { end += 1 }
            seconds += Double("0" + String(chars[19..<end])) ?? 0
            rest = end
        }
        if chars[rest] != "Z" {
            let sign: Double = chars[rest] == "-" ? -1 : 1
            seconds -= sign * Double(number(rest + 1..<rest + 3) * 3600 + number(rest + 4..<rest + 6) * 60)
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The next `count` fire times after `after`, each computed from the previous one, printed in the zone.
    static func fires(_ expression: String, in zoneID: String, after: String, count: Int) throws -> [String] {
        let schedule = try CronSchedule.parse(expression)
        let zone = self.zone(zoneID)
        var cursor = self.instant(after)
        var out: [String] = []
        for _ in 0..<count {
            guard let fire = schedule.next(after: cursor, in: zone) else {
                out.append("nil")
                break
            }
            out.append(CronPreview.rfc3339(fire, in: zone))
            cursor = fire
        }
        return out
    }

    static func utc(_ expression: String, after: String, count: Int) throws -> [String] {
        try self.fires(expression, in: "UTC", after: after, count: count)
    }
}

@Suite("CronSchedule basics")
struct CronScheduleTests {
    @Test func stepsRangesAndLists() throws {
        #expect(
            try CronTesting.utc("*/15 * * * *", after: "2026-01-01T00:07:30Z", count: 4) == [
                "2026-01-01T00:15:00+00:00", "2026-01-01T00:30:00+00:00", "2026-01-01T00:45:00+00:00",
                "2026-01-01T01:00:00+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("5-20/5 * * * *", after: "2026-01-01T00:18:00Z", count: 3) == [
                "2026-01-01T00:20:00+00:00", "2026-01-01T01:05:00+00:00", "2026-01-01T01:10:00+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("50/5 * * * *", after: "2026-01-01T00:52:00Z", count: 3) == [
                "2026-01-01T00:55:00+00:00", "2026-01-01T01:50:00+00:00", "2026-01-01T01:55:00+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("0,30 8-9,17 * * *", after: "2026-01-01T09:00:00Z", count: 4) == [
                "2026-01-01T09:30:00+00:00", "2026-01-01T17:00:00+00:00", "2026-01-01T17:30:00+00:00",
                "2026-01-02T08:00:00+00:00",
            ]
        )
    }

    @Test func monthAndDayNamesInAnyCase() throws {
        #expect(
            try CronTesting.utc("0 0 1 jan,Jul *", after: "2026-01-01T00:00:00Z", count: 2) == [
                "2026-07-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00",
            ]
        )
        // 2026-01-02 is a Friday.
        #expect(
            try CronTesting.utc("0 12 * * fri-SUN", after: "2026-01-01T00:00:00Z", count: 4) == [
                "2026-01-02T12:00:00+00:00", "2026-01-03T12:00:00+00:00", "2026-01-04T12:00:00+00:00",
                "2026-01-09T12:00:00+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("0 0 * FEB-MAR/1 MON", after: "2026-01-01T00:00:00Z", count: 1) == [
                "2026-02-02T00:00:00+00:00"
            ]
        )
    }

    @Test(arguments: ["0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "0 0 ? * 7", "@weekly"])
    func sundaySpellings(expression: String) throws {
        #expect(
            try CronTesting.utc(expression, after: "2026-01-01T00:00:00Z", count: 2) == [
                "2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00",
            ]
        )
    }

    @Test func sixFieldsHaveSecondsFirst() throws {
        #expect(
            try CronTesting.utc("*/20 * * * * *", after: "2026-01-01T00:00:45Z", count: 3) == [
                "2026-01-01T00:01:00+00:00", "2026-01-01T00:01:20+00:00", "2026-01-01T00:01:40+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("30 0 0 * * *", after: "2026-01-01T00:00:30Z", count: 1) == [
                "2026-01-02T00:00:30+00:00"
            ]
        )
    }

    @Test func nextIsStrictlyAfterAndSecondsAreWhole() throws {
        let schedule = try CronSchedule.parse("*/15 * * * *")
        let utc = CronTesting.zone("UTC")
        #expect(
            schedule.next(after: CronTesting.instant("2026-01-01T00:15:00Z"), in: utc)
                == CronTesting.instant("2026-01-01T00:30:00Z")
        )
        #expect(
            schedule.next(after: CronTesting.instant("2026-01-01T00:14:59.5Z"), in: utc)
                == CronTesting.instant("2026-01-01T00:15:00Z")
        )
        #expect(
            schedule.next(after: CronTesting.instant("2026-01-01T00:15:00.25Z"), in: utc)
                == CronTesting.instant("2026-01-01T00:30:00Z")
        )
    }

    @Test func impossibleDatesAreRefusedAndLeapDaysAreFound() throws {
        // Impossible dates never fire, so they are refused when parsed (CronRareScheduleTests has the messages).
        for text in ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 0 31 2 *"] {
            #expect(throws: CronError.self) { try CronSchedule.parse(text) }
        }
        #expect(
            try CronTesting.utc("0 0 29 2 *", after: "2026-01-01T00:00:00Z", count: 1) == ["2028-02-29T00:00:00+00:00"]
        )
        // No date is skipped for ever: every 15 minutes, even far in the past.
        #expect(
            try CronTesting.utc("*/15 * * * *", after: "1901-12-31T23:59:00Z", count: 1) == [
                "1902-01-01T00:00:00+00:00"
            ]
        )
    }

    @Test(arguments: [
        ("@yearly", "2027-01-01T00:00:00+00:00"), ("@annually", "2027-01-01T00:00:00+00:00"),
        ("@monthly", "2026-02-01T00:00:00+00:00"), ("@weekly", "2026-01-04T00:00:00+00:00"),
        ("@daily", "2026-01-02T00:00:00+00:00"), ("@midnight", "2026-01-02T00:00:00+00:00"),
        ("@hourly", "2026-01-01T01:00:00+00:00"), ("@DAILY", "2026-01-02T00:00:00+00:00"),
    ])
    func nicknames(expression: String, first: String) throws {
        #expect(try CronTesting.utc(expression, after: "2026-01-01T00:00:00Z", count: 1) == [first])
    }

    @Test(arguments: [
        ("30 2 * * *", true), ("15 1,13 * * 1-5", true), ("0 0 * * *", true), ("0-30/5 9 * * *", true),
        ("@daily", true), ("@weekly", true), ("@monthly", true), ("@yearly", true),
        ("*/15 * * * *", false), ("0 * * * *", false), ("* 2 * * *", false), ("0 */2 * * *", false),
        ("0 30 2 * * *", false), ("@hourly", false), ("@every 1h", false),
    ])
    func fixedTimeClassification(expression: String, fixed: Bool) throws {
        #expect(try CronSchedule.parse(expression).isFixedTime == fixed)
    }

    @Test func fireTimesListsTheWindowInOrderUpToTheLimit() throws {
        let schedule = try CronSchedule.parse("0 * * * *")
        let utc = CronTesting.zone("UTC")
        let start = CronTesting.instant("2026-01-01T00:00:00Z")
        let end = CronTesting.instant("2026-01-01T05:00:00Z")
        let all = schedule.fireTimes(after: start, through: end, in: utc, limit: 10)
        #expect(all.map { CronPreview.rfc3339($0, in: utc) } == (1...5).map { "2026-01-01T0\($0):00:00+00:00" })
        #expect(schedule.fireTimes(after: start, through: end, in: utc, limit: 3).count == 3)
        #expect(schedule.fireTimes(after: start, through: end, in: utc, limit: 0).isEmpty)
        #expect(schedule.fireTimes(after: end, through: start, in: utc, limit: 10).isEmpty)
    }

    @Test func textAndEqualityFollowTheExpression() throws {
        let a = try CronSchedule.parse("  0 9 * * MON-FRI ")
        #expect(a.text == "  0 9 * * MON-FRI ")
        #expect(a == (try CronSchedule.parse("  0 9 * * MON-FRI ")))
        #expect(a != (try CronSchedule.parse("0 9 * * MON-FRI")))
        #expect(Set([a, a]).count == 1)
    }

    @Test func tenThousandSchedulesComputeWithoutScanning() throws {
        let expressions = [
            // `0 0 * 2 1#5` (a Monday 29 February) is next in 2044: a far search, month by month.
            "*/15 * * * *", "0 9 * * MON-FRI", "0 0 * 2 1#5", "0 0 L * *", "0 0 29 2 *", "0 0 * * 5L", "@every 7m",
            "*/5 * * * * *", "30 2 * * *", "0 0 1 1 *",
        ]
        let schedules = try expressions.map { try CronSchedule.parse($0) }
        let zone = CronTesting.zone("America/New_York")
        let start = CronTesting.instant("2026-03-07T12:00:00Z")
        var found = 0
        for index in 0..<10_000 {
            if schedules[index % schedules.count].next(after: start, in: zone) != nil { found += 1 }
        }
        #expect(found == 10_000)
    }
}
