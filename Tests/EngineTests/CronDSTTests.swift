import Foundation
import Testing

@testable import Engine

/// One golden row: the fires after `after`, each computed from the previous one, printed in the zone.
struct DSTCase: CustomTestStringConvertible, Sendable {
    let expression: String
    let zone: String
    let after: String
    let expected: [String]

    init(_ expression: String, _ zone: String, after: String, _ expected: [String]) {
        (self.expression, self.zone, self.after, self.expected) = (expression, zone, after, expected)
    }

    var testDescription: String { "'\(self.expression)' in \(self.zone) after \(self.after)" }
}

/// Debian cron's DST rules (SPEC §5), in zones with ordinary, half-hour, midnight, negative and day-long
/// transitions. Fixed-time expressions (`30 2 * * *`) follow the wall clock: a gap time fires at the first instant
/// after the gap, a repeated time fires once, in its first occurrence. Absolute ones (`*/15 * * * *`, `0 * * * *`,
/// 6-field) fire at every instant whose local time matches: never in a gap, twice in a repeated hour.
/// Every row was reasoned by hand and checked against Python's `zoneinfo` (tzdata 2025b).
@Suite("Cron across DST")
struct CronDSTTests {
    static let golden: [DSTCase] = [
        // New York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
        DSTCase(
            "30 2 * * *",
            "America/New_York",
            after: "2026-03-07T12:00:00-05:00",
            [
                "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
            ]
        ),
        DSTCase(
            "*/15 * * * *",
            "America/New_York",
            after: "2026-03-08T01:30:00-05:00",
            [
                "2026-03-08T01:45:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:15:00-04:00",
            ]
        ),
        DSTCase(
            "0 * * * *",
            "America/New_York",
            after: "2026-03-08T00:30:00-05:00",
            [
                "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00",
            ]
        ),
        DSTCase("0 30 2 * * *", "America/New_York", after: "2026-03-07T12:00:00-05:00", ["2026-03-09T02:30:00-04:00"]),
        DSTCase(
            "15 1,13 * * 1-5",
            "America/New_York",
            after: "2026-10-30T12:00:00-04:00",
            [
                "2026-10-30T13:15:00-04:00", "2026-11-02T01:15:00-05:00", "2026-11-02T13:15:00-05:00",
            ]
        ),
        DSTCase(
            "15 1,13 * * *",
            "America/New_York",
            after: "2026-10-31T12:00:00-04:00",
            [
                "2026-10-31T13:15:00-04:00", "2026-11-01T01:15:00-04:00", "2026-11-01T13:15:00-05:00",
            ]
        ),
        DSTCase(
            "30 1 * * *",
            "America/New_York",
            after: "2026-10-31T12:00:00-04:00",
            [
                "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00",
            ]
        ),
        DSTCase("30 1 * * *", "America/New_York", after: "2026-11-01T01:10:00-05:00", ["2026-11-02T01:30:00-05:00"]),
        DSTCase(
            "*/30 * * * *",
            "America/New_York",
            after: "2026-11-01T00:45:00-04:00",
            [
                "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00",
                "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00",
            ]
        ),
        DSTCase(
            "0 30 1 * * *",
            "America/New_York",
            after: "2026-10-31T12:00:00-04:00",
            [
                "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00",
            ]
        ),

        // London: 2026-03-29 01:00 GMT -> 02:00 BST; 2026-10-25 02:00 BST -> 01:00 GMT.
        DSTCase(
            "30 1 * * *",
            "Europe/London",
            after: "2026-03-28T12:00:00+00:00",
            [
                "2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00",
            ]
        ),
        DSTCase(
            "0 * * * *",
            "Europe/London",
            after: "2026-03-29T00:30:00+00:00",
            [
                "2026-03-29T02:00:00+01:00", "2026-03-29T03:00:00+01:00",
            ]
        ),
        DSTCase(
            "30 1 * * *",
            "Europe/London",
            after: "2026-10-24T12:00:00+01:00",
            [
                "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00",
            ]
        ),
        DSTCase(
            "0 30 1 * * *",
            "Europe/London",
            after: "2026-10-24T12:00:00+01:00",
            [
                "2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00", "2026-10-26T01:30:00+00:00",
            ]
        ),

        // Berlin: 2026-03-29 02:00 -> 03:00; 2026-10-25 03:00 -> 02:00. Two gap times fire once.
        DSTCase(
            "30 2 * * *",
            "Europe/Berlin",
            after: "2026-03-28T12:00:00+01:00",
            [
                "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00",
            ]
        ),
        DSTCase(
            "0,30 2 * * *",
            "Europe/Berlin",
            after: "2026-03-28T12:00:00+01:00",
            [
                "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00",
            ]
        ),
        DSTCase(
            "*/15 * * * *",
            "Europe/Berlin",
            after: "2026-03-29T01:50:00+01:00",
            [
                "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00",
            ]
        ),
        DSTCase(
            "30 2 * * *",
            "Europe/Berlin",
            after: "2026-10-24T12:00:00+02:00",
            [
                "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00",
            ]
        ),
        DSTCase(
            "0 * * * *",
            "Europe/Berlin",
            after: "2026-10-25T01:30:00+02:00",
            [
                "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00",
            ]
        ),

        // Sydney (southern hemisphere): 2026-04-05 03:00 -> 02:00; 2026-10-04 02:00 -> 03:00.
        DSTCase(
            "30 2 * * *",
            "Australia/Sydney",
            after: "2026-04-04T12:00:00+11:00",
            [
                "2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00",
            ]
        ),
        DSTCase(
            "30 2 * * *",
            "Australia/Sydney",
            after: "2026-10-03T12:00:00+10:00",
            [
                "2026-10-04T03:00:00+11:00", "2026-10-05T02:30:00+11:00",
            ]
        ),
        DSTCase(
            "0 30 2 * * *",
            "Australia/Sydney",
            after: "2026-04-04T12:00:00+11:00",
            [
                "2026-04-05T02:30:00+11:00", "2026-04-05T02:30:00+10:00", "2026-04-06T02:30:00+10:00",
            ]
        ),

        // Lord Howe shifts by 30 minutes: 2026-04-05 02:00 (+11) -> 01:30 (+10:30);
        // 2026-10-04 02:00 (+10:30) -> 02:30 (+11), so 02:00 and 02:15 fire at 02:30, together with 02:30 itself.
        DSTCase(
            "45 1 * * *",
            "Australia/Lord_Howe",
            after: "2026-04-04T12:00:00+11:00",
            [
                "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30",
            ]
        ),
        DSTCase(
            "*/15 * * * *",
            "Australia/Lord_Howe",
            after: "2026-04-05T01:50:00+11:00",
            [
                "2026-04-05T01:30:00+10:30", "2026-04-05T01:45:00+10:30", "2026-04-05T02:00:00+10:30",
            ]
        ),
        DSTCase(
            "15 2 * * *",
            "Australia/Lord_Howe",
            after: "2026-10-03T12:00:00+10:30",
            [
                "2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00",
            ]
        ),
        DSTCase(
            "0,15,30 2 * * *",
            "Australia/Lord_Howe",
            after: "2026-10-03T12:00:00+10:30",
            [
                "2026-10-04T02:30:00+11:00", "2026-10-05T02:00:00+11:00",
            ]
        ),
        DSTCase(
            "*/15 * * * *",
            "Australia/Lord_Howe",
            after: "2026-10-04T01:50:00+10:30",
            [
                "2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00",
            ]
        ),

        // Santiago changes at midnight: 2026-04-05 00:00 (-03) -> 2026-04-04 23:00 (-04), so Saturday 23:xx
        // repeats; 2026-09-06 00:00 (-04) -> 01:00 (-03), so that Sunday starts at 01:00.
        DSTCase(
            "30 23 * * *",
            "America/Santiago",
            after: "2026-04-04T12:00:00-03:00",
            [
                "2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00",
            ]
        ),
        DSTCase(
            "0 0 * * *",
            "America/Santiago",
            after: "2026-04-04T12:00:00-03:00",
            [
                "2026-04-05T00:00:00-04:00", "2026-04-06T00:00:00-04:00",
            ]
        ),
        DSTCase(
            "0 0 * * *",
            "America/Santiago",
            after: "2026-09-05T12:00:00-04:00",
            [
                "2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00",
            ]
        ),
        DSTCase(
            "0 * * * *",
            "America/Santiago",
            after: "2026-09-05T23:30:00-04:00",
            [
                "2026-09-06T01:00:00-03:00", "2026-09-06T02:00:00-03:00",
            ]
        ),
        DSTCase(
            "0 * * * *",
            "America/Santiago",
            after: "2026-04-04T22:30:00-03:00",
            [
                "2026-04-04T23:00:00-03:00", "2026-04-04T23:00:00-04:00", "2026-04-05T00:00:00-04:00",
            ]
        ),
        DSTCase(
            "0 0 * * 0",
            "America/Santiago",
            after: "2026-09-01T12:00:00-04:00",
            [
                "2026-09-06T01:00:00-03:00", "2026-09-13T00:00:00-03:00",
            ]
        ),
        DSTCase(
            "30 0 6 9 *",
            "America/Santiago",
            after: "2026-01-01T00:00:00-03:00",
            [
                "2026-09-06T01:00:00-03:00", "2027-09-06T00:30:00-03:00",
            ]
        ),

        // Havana: 2026-03-08 00:00 -> 01:00 (the day starts at 01:00); 2026-11-01 01:00 -> 00:00.
        DSTCase(
            "30 0 * * *",
            "America/Havana",
            after: "2026-03-07T12:00:00-05:00",
            [
                "2026-03-08T01:00:00-04:00", "2026-03-09T00:30:00-04:00",
            ]
        ),
        DSTCase(
            "30 0 * * *",
            "America/Havana",
            after: "2026-10-31T12:00:00-04:00",
            [
                "2026-11-01T00:30:00-04:00", "2026-11-02T00:30:00-05:00",
            ]
        ),
        DSTCase(
            "*/30 * * * *",
            "America/Havana",
            after: "2026-10-31T23:45:00-04:00",
            [
                "2026-11-01T00:00:00-04:00", "2026-11-01T00:30:00-04:00", "2026-11-01T00:00:00-05:00",
                "2026-11-01T00:30:00-05:00", "2026-11-01T01:00:00-05:00",
            ]
        ),
        DSTCase("0 30 0 * * *", "America/Havana", after: "2026-03-07T12:00:00-05:00", ["2026-03-09T00:30:00-04:00"]),

        // Dublin: tzdata models winter as negative DST (IST +01 is standard); the offsets are London's.
        DSTCase(
            "30 1 * * *",
            "Europe/Dublin",
            after: "2026-03-28T12:00:00+00:00",
            [
                "2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00",
            ]
        ),
        DSTCase(
            "30 1 * * *",
            "Europe/Dublin",
            after: "2026-10-24T12:00:00+01:00",
            [
                "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00",
            ]
        ),
        DSTCase(
            "*/30 * * * *",
            "Europe/Dublin",
            after: "2026-10-25T00:45:00+01:00",
            [
                "2026-10-25T01:00:00+01:00", "2026-10-25T01:30:00+01:00", "2026-10-25T01:00:00+00:00",
                "2026-10-25T01:30:00+00:00", "2026-10-25T02:00:00+00:00",
            ]
        ),

        // Apia skipped 2011-12-30 (-10 -> +14 at its start); 2012-04-01 04:00 (+14) -> 03:00 (+13).
        DSTCase(
            "0 12 * * *",
            "Pacific/Apia",
            after: "2011-12-29T12:00:00-10:00",
            [
                "2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00",
            ]
        ),
        DSTCase(
            "0 0 30 12 *",
            "Pacific/Apia",
            after: "2011-12-01T00:00:00-10:00",
            [
                "2011-12-31T00:00:00+14:00", "2012-12-30T00:00:00+14:00",
            ]
        ),
        DSTCase(
            "0 */6 * * *",
            "Pacific/Apia",
            after: "2011-12-29T12:00:00-10:00",
            [
                "2011-12-29T18:00:00-10:00", "2011-12-31T00:00:00+14:00", "2011-12-31T06:00:00+14:00",
            ]
        ),
        DSTCase("0 0 12 * * *", "Pacific/Apia", after: "2011-12-29T13:00:00-10:00", ["2011-12-31T12:00:00+14:00"]),
        DSTCase("0 0 0 30 * *", "Pacific/Apia", after: "2011-12-01T00:00:00-10:00", ["2012-01-30T00:00:00+14:00"]),
        DSTCase(
            "30 3 * * *",
            "Pacific/Apia",
            after: "2012-03-31T12:00:00+14:00",
            [
                "2012-04-01T03:30:00+14:00", "2012-04-02T03:30:00+13:00",
            ]
        ),
    ]

    @Test(arguments: Self.golden)
    func goldenRow(_ row: DSTCase) throws {
        #expect(
            try CronTesting.fires(row.expression, in: row.zone, after: row.after, count: row.expected.count)
                == row.expected
        )
    }

    @Test func catchUpWindowOverAFallBackNight() throws {
        let zone = CronTesting.zone("America/New_York")
        let start = CronTesting.instant("2026-11-01T00:00:00-04:00")
        let end = CronTesting.instant("2026-11-01T03:00:00-05:00")
        let hourly = try CronSchedule.parse("0 * * * *").fireTimes(after: start, through: end, in: zone, limit: 10)
        #expect(
            hourly.map { CronPreview.rfc3339($0, in: zone) } == [
                "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00",
                "2026-11-01T03:00:00-05:00",
            ]
        )
        let fixed = try CronSchedule.parse("0 1,2 * * *").fireTimes(after: start, through: end, in: zone, limit: 10)
        #expect(
            fixed.map { CronPreview.rfc3339($0, in: zone) } == [
                "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00",
            ]
        )
    }

    @Test func gapTimesFireAtTheTransitionInstantOnlyOnce() throws {
        let zone = CronTesting.zone("Europe/Berlin")
        let transition = CronTesting.instant("2026-03-29T01:00:00Z")
        let schedule = try CronSchedule.parse("0,30 2 * * *")
        #expect(schedule.next(after: transition.addingTimeInterval(-1), in: zone) == transition)
        #expect(schedule.next(after: transition.addingTimeInterval(-0.5), in: zone) == transition)
        #expect(schedule.next(after: transition, in: zone) == CronTesting.instant("2026-03-30T02:00:00+02:00"))
        // An absolute expression never fires in the gap, so nothing at the transition either.
        let everyMinute = try CronSchedule.parse("* 2 * * *")
        #expect(
            everyMinute.next(after: transition.addingTimeInterval(-1), in: zone)
                == CronTesting.instant("2026-03-30T02:00:00+02:00")
        )
    }

    @Test func startingInsideTheRepeatedHour() throws {
        // Fixed time: 01:30 already fired in the first pass, so the second pass does not fire it again.
        #expect(
            try CronTesting.fires("30 1 * * *", in: "Europe/London", after: "2026-10-25T01:00:00+00:00", count: 1) == [
                "2026-10-26T01:30:00+00:00"
            ]
        )
        // Absolute: the second copy of 01:30 is still ahead.
        #expect(
            try CronTesting.fires("30 * * * *", in: "Europe/London", after: "2026-10-25T01:00:00+00:00", count: 1) == [
                "2026-10-25T01:30:00+00:00"
            ]
        )
        // Exactly at the fall-back instant: the first pass of 01:xx is over.
        #expect(
            try CronTesting.fires("59 1 * * *", in: "Europe/London", after: "2026-10-25T00:59:59+01:00", count: 2) == [
                "2026-10-25T01:59:00+01:00", "2026-10-26T01:59:00+00:00",
            ]
        )
    }

    @Test func zonesWithoutTransitionsAndOddOffsets() throws {
        #expect(
            try CronTesting.fires("30 2 * * *", in: "Asia/Kolkata", after: "2026-03-08T00:00:00+05:30", count: 1) == [
                "2026-03-08T02:30:00+05:30"
            ]
        )
        #expect(
            try CronTesting.fires("0 0 1 * *", in: "Asia/Kathmandu", after: "2026-01-15T00:00:00Z", count: 1) == [
                "2026-02-01T00:00:00+05:45"
            ]
        )
    }
}
