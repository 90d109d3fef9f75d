import Foundation
import Testing

@testable import Engine

/// Day-of-month and day-of-week specials, and Vixie's rule for combining the two day fields.
@Suite("Cron day rules")
struct CronDayRulesTests {
    /// Dates (UTC) of the next `count` fires of a midnight schedule, as `MM-DD`.
    private func days(_ dayFields: String, after start: String, count: Int) throws -> [String] {
        try CronTesting.utc("0 0 \(dayFields)", after: "\(start)T00:00:00Z", count: count).map {
            $0.hasPrefix("nil") ? $0 : String($0.dropFirst(5).prefix(5))
        }
    }

    @Test func lastDayOfMonth() throws {
        #expect(try self.days("L * *", after: "2026-01-01", count: 4) == ["01-31", "02-28", "03-31", "04-30"])
        #expect(try self.days("L 2 *", after: "2028-01-01", count: 1) == ["02-29"])
        #expect(try self.days("l * ?", after: "2026-01-01", count: 1) == ["01-31"])
    }

    @Test func daysBeforeTheLastDay() throws {
        #expect(try self.days("L-3 * *", after: "2026-01-01", count: 3) == ["01-28", "02-25", "03-28"])
        #expect(try self.days("L-0 * *", after: "2026-01-01", count: 1) == ["01-31"])
        // L-30 exists only in 31-day months (the 1st).
        #expect(try self.days("L-30 * *", after: "2026-01-02", count: 2) == ["03-01", "05-01"])
    }

    @Test func nearestWeekdayStaysInTheMonth() throws {
        // 2026-02-15 and 2026-03-15 are Sundays: the Monday after.
        #expect(try self.days("15W * *", after: "2026-02-01", count: 3) == ["02-16", "03-16", "04-15"])
        // 2026-08-01 is a Saturday: not the Friday before (July), but Monday the 3rd.
        #expect(try self.days("1W * *", after: "2026-07-15", count: 2) == ["08-03", "09-01"])
        // 2026-05-31 is a Sunday: not the Monday after (June), but Friday the 29th; April has no 31st.
        #expect(try self.days("31W * *", after: "2026-04-01", count: 2) == ["05-29", "07-31"])
    }

    @Test func lastWeekdayOfMonth() throws {
        // 2026-01-31 is a Saturday, 2026-02-28 a Saturday.
        #expect(try self.days("LW * *", after: "2026-01-01", count: 3) == ["01-30", "02-27", "03-31"])
    }

    @Test func lastGivenWeekdayOfMonth() throws {
        #expect(try self.days("* * 5L", after: "2026-01-01", count: 3) == ["01-30", "02-27", "03-27"])
        #expect(try self.days("? * FRIL", after: "2026-01-01", count: 1) == ["01-30"])
        #expect(try self.days("* * 7L", after: "2026-01-01", count: 1) == ["01-25"])
    }

    @Test func nthWeekdayOfMonth() throws {
        #expect(try self.days("* * MON#2", after: "2026-01-01", count: 3) == ["01-12", "02-09", "03-09"])
        #expect(try self.days("? * 5#3", after: "2026-01-01", count: 3) == ["01-16", "02-20", "03-20"])
        // Only months with five Mondays have a fifth.
        #expect(try self.days("* * 1#5", after: "2026-01-01", count: 3) == ["03-30", "06-29", "08-31"])
        #expect(try self.days("* * 1#1,5L", after: "2026-01-01", count: 3) == ["01-05", "01-30", "02-02"])
    }

    @Test func specialsMixWithPlainValuesInLists() throws {
        #expect(try self.days("1,L * *", after: "2026-01-01", count: 3) == ["01-31", "02-01", "02-28"])
    }

    @Test func vixieEitherFieldWhenBothAreRestricted() throws {
        // 1st of the month OR any Monday.
        #expect(
            try self.days("1 * MON", after: "2026-01-01", count: 6) == [
                "01-05", "01-12", "01-19", "01-26", "02-01", "02-02",
            ]
        )
        // The 13th OR any Friday.
        #expect(try self.days("13 * FRI", after: "2026-02-01", count: 4) == ["02-06", "02-13", "02-20", "02-27"])
        #expect(try self.days("L * 5L", after: "2026-01-01", count: 4) == ["01-30", "01-31", "02-27", "02-28"])
        #expect(try self.days("15W * MON", after: "2026-02-01", count: 4) == ["02-02", "02-09", "02-16", "02-23"])
    }

    @Test func vixieBothFieldsWhenEitherStartsWithStar() throws {
        // `*/2` starts with `*`: odd days that are Mondays.
        #expect(try self.days("*/2 * MON", after: "2026-01-01", count: 4) == ["01-05", "01-19", "02-09", "02-23"])
        // The 1st, when it is a Sunday, Tuesday, Thursday or Saturday.
        #expect(try self.days("1 * */2", after: "2026-01-01", count: 3) == ["02-01", "03-01", "08-01"])
        #expect(try self.days("13 * *", after: "2026-02-01", count: 2) == ["02-13", "03-13"])
        #expect(try self.days("* * FRI", after: "2026-02-01", count: 2) == ["02-06", "02-13"])
    }

    @Test func questionMarkCountsAsStar() throws {
        #expect(try self.days("? * FRI", after: "2026-02-01", count: 2) == ["02-06", "02-13"])
        #expect(try self.days("13 * ?", after: "2026-02-01", count: 2) == ["02-13", "03-13"])
        #expect(try self.days("?/2 * MON", after: "2026-01-01", count: 2) == ["01-05", "01-19"])
    }

    @Test func everyIsAFixedIntervalAnchoredAtTheEpoch() throws {
        let every = try CronSchedule.parse("@every 90m")
        let start = CronTesting.instant("2026-01-01T00:00:00Z")
        let expected = [CronTesting.instant("2026-01-01T01:30:00Z"), CronTesting.instant("2026-01-01T03:00:00Z")]
        for zone in ["UTC", "America/New_York", "Australia/Lord_Howe"] {
            let first = every.next(after: start, in: CronTesting.zone(zone))
            #expect(first == expected[0])
            #expect(first.flatMap { every.next(after: $0, in: CronTesting.zone(zone)) } == expected[1])
        }
        #expect(
            try CronTesting.fires("@every 1d", in: "Europe/Berlin", after: "2026-07-01T12:00:00Z", count: 1) == [
                "2026-07-02T02:00:00+02:00"
            ]
        )
        #expect(
            try CronTesting.utc("@every 7s", after: "1970-01-01T00:00:07Z", count: 2) == [
                "1970-01-01T00:00:14+00:00", "1970-01-01T00:00:21+00:00",
            ]
        )
        #expect(
            try CronTesting.utc("@every 1s", after: "1969-12-31T23:59:58.5Z", count: 2) == [
                "1969-12-31T23:59:59+00:00", "1970-01-01T00:00:00+00:00",
            ]
        )
        #expect(every.isFixedTime == false)
    }
}
