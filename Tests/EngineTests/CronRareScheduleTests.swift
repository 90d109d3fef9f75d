import Foundation
import Testing

@testable import Engine

/// Schedules that fire rarely are found however far away the next fire is; schedules that can never fire are
/// refused when parsed (issue #17 item 3). Expected dates: 2100 is not a leap year; 29 February falls on a
/// Monday in 2044, 2072, 2112 and 2140 (28 years apart within a century, 40 across 2100).
@Suite("Cron schedules that fire rarely or never")
struct CronRareScheduleTests {
    @Test(arguments: [
        ("0 0 29 2 *", "2096-03-01T00:00:00Z", ["2104-02-29T00:00:00+00:00", "2108-02-29T00:00:00+00:00"]),
        // Day-of-month starts with '*', so both fields must match: the fifth Monday of February is a 29 February.
        ("0 0 * 2 MON#5", "2016-03-01T00:00:00Z", ["2044-02-29T00:00:00+00:00", "2072-02-29T00:00:00+00:00"]),
        ("0 0 * 2 1#5", "2072-03-01T00:00:00Z", ["2112-02-29T00:00:00+00:00", "2140-02-29T00:00:00+00:00"]),
        ("0 0 ? 2 1L", "2072-02-29T00:00:00Z", ["2073-02-27T00:00:00+00:00", "2074-02-26T00:00:00+00:00"]),
        // With two restricted day fields either may match (Vixie): every Monday of February, not just the 30th.
        ("0 0 30 2 MON", "2026-01-01T00:00:00Z", ["2026-02-02T00:00:00+00:00", "2026-02-09T00:00:00+00:00"]),
        ("0 0 29W 2 *", "2026-01-01T00:00:00Z", ["2028-02-29T00:00:00+00:00", "2032-02-27T00:00:00+00:00"]),
        ("0 0 L-28 2 *", "2026-01-01T00:00:00Z", ["2028-02-01T00:00:00+00:00", "2032-02-01T00:00:00+00:00"]),
    ])
    func theNextFireIsFoundHoweverFar(expression: String, after: String, fires: [String]) throws {
        #expect(try CronTesting.utc(expression, after: after, count: 2) == fires)
    }

    @Test func aFarFireIsFoundInAZoneWithDaylightSaving() throws {
        #expect(
            try CronTesting.fires("30 2 * 2 1#5", in: "America/New_York", after: "2072-03-01T00:00:00Z", count: 1)
                == ["2112-02-29T02:30:00-05:00"]
        )
    }

    @Test(arguments: [
        ("0 0 30 2 *", 5, "'30', month '2' and day-of-week '*'"),
        ("0 0 31 4 *", 5, "'31', month '4' and day-of-week '*'"),
        ("0 0 31 2,4,6 *", 5, "'31', month '2,4,6' and day-of-week '*'"),
        ("0 0 31 4,6,9,11 *", 5, "'31', month '4,6,9,11' and day-of-week '*'"),
        ("0 0 0 31 2 *", 7, "'31', month '2' and day-of-week '*'"),
        ("0 0 30W 2 *", 5, "'30W', month '2' and day-of-week '*'"),
        ("0 0 L-29 2 *", 5, "'L-29', month '2' and day-of-week '*'"),
        // The star rule: a day must match both fields, and no 30 February is a Monday.
        ("0 0 30 2 */7,1", 5, "'30', month '2' and day-of-week '*/7,1'"),
    ])
    func anExpressionThatNeverFiresIsRefused(expression: String, column: Int, fields: String) {
        #expect(
            throws: CronError(column: column, message: "never fires: no date matches day-of-month \(fields) in any year")
        ) {
            try CronSchedule.parse(expression)
        }
    }

    @Test func aBoundedSearchStopsAtItsEnd() throws {
        let schedule = try CronSchedule.parse("0 0 * 2 1#5")
        let utc = CronTesting.zone("UTC")
        let start = CronTesting.instant("2072-03-01T00:00:00Z")
        #expect(schedule.next(after: start, in: utc, through: CronTesting.instant("2100-01-01T00:00:00Z")) == nil)
        #expect(
            schedule.next(after: start, in: utc, through: CronTesting.instant("2112-02-29T00:00:00Z"))
                == CronTesting.instant("2112-02-29T00:00:00Z"))
        // Catch-up after a long downtime neither spins nor invents slots.
        let missed = MissedSlots.lastSlots(
            schedule, in: utc, after: start, through: CronTesting.instant("2111-01-01T00:00:00Z"), count: 2)
        #expect(missed.isEmpty)
        #expect(
            MissedSlots.lastSlots(schedule, in: utc, after: start, through: CronTesting.instant("2150-01-01T00:00:00Z"), count: 2)
                == [CronTesting.instant("2112-02-29T00:00:00Z"), CronTesting.instant("2140-02-29T00:00:00Z")])
    }

    @Test func searchingFarIsQuick() throws {
        // A whole Gregorian cycle is searched month by month, not minute by minute.
        let schedule = try CronSchedule.parse("0 0 * 2 1#5")
        let zone = CronTesting.zone("Europe/Berlin")
        let clock = ContinuousClock()
        var cursor = CronTesting.instant("2000-01-01T00:00:00Z")
        let elapsed = clock.measure {
            for _ in 0..<14 { cursor = schedule.next(after: cursor, in: zone) ?? cursor }
        }
        #expect(cursor == CronTesting.instant("2360-02-28T23:00:00Z"))
        #expect(elapsed < .seconds(5))
    }
}
