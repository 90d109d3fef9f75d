import Foundation
import Testing

@testable import Engine

/// Steps larger than their range, which Debian's `crontab` installs without a word (issue #17 item 2).
///
/// Debian cron reads the step as a plain number and walks `first, first + step, ...` up to the range's end, so a
/// step past the end leaves only the first value. `*` in day-of-week spans 0-7 there, so `*/8` is Sunday (0) only,
/// and the field still starts with `*`, so the day must match both day fields (Vixie's DOW_STAR). Expected fires
/// are worked out by hand from those rules: 2026-01-01 is a Thursday, 2026-02-01 and 2026-03-01 are Sundays.
@Suite("Cron steps larger than their range")
struct CronDebianStepTests {
    @Test(arguments: [
        ("*/61 * * * *", ["2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00", "2026-01-01T03:00:00+00:00"]),
        ("0-59/61 * * * *", ["2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00", "2026-01-01T03:00:00+00:00"]),
        ("0 */25 * * *", ["2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00"]),
        // Day-of-month starts with '*': a day must match both fields, so this is the first Tuesday of each month.
        ("0 0 */32,1-7 * 2", ["2026-01-06T00:00:00+00:00", "2026-02-03T00:00:00+00:00", "2026-03-03T00:00:00+00:00"]),
        // Sunday only: the first Sunday is 4 January.
        ("51 * * * */8", ["2026-01-04T00:51:00+00:00", "2026-01-04T01:51:00+00:00", "2026-01-04T02:51:00+00:00"]),
        // `*/8` keeps the star rule: the 1st of a month that is also a Sunday (Feb, Mar and Nov 2026), not "the 1st
        // or any Sunday".
        ("0 0 1 * */8", ["2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00"]),
        ("0 0 5/40 * *", ["2026-01-05T00:00:00+00:00", "2026-02-05T00:00:00+00:00", "2026-03-05T00:00:00+00:00"]),
        ("0 0 1 */13 *", ["2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00", "2029-01-01T00:00:00+00:00"]),
        ("*/99 0 0 1 1 *", ["2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00", "2029-01-01T00:00:00+00:00"]),
    ])
    func firesLikeDebian(expression: String, fires: [String]) throws {
        #expect(try CronTesting.utc(expression, after: "2026-01-01T00:00:00Z", count: 3) == fires)
    }

    @Test(arguments: [
        (
            "*/61 * * * *", 3,
            "minute field: step 61 in '*/61' reaches past the end of its range, so it selects only 0, as in Debian "
                + "cron; write '0' if that is what you mean"
        ),
        (
            "0 */25 * * *", 5,
            "hour field: step 25 in '*/25' reaches past the end of its range, so it selects only 0, as in Debian "
                + "cron; write '0' if that is what you mean"
        ),
        (
            "0 0 */32,1-7 * 2", 7,
            "day-of-month field: step 32 in '*/32' reaches past the end of its range, so it selects only 1, as in "
                + "Debian cron"
        ),
        (
            "51 * * * */8", 12,
            "day-of-week field: step 8 in '*/8' reaches past the end of its range, so it selects only 0 (SUN), as in "
                + "Debian cron"
        ),
        (
            "0-59/61 * * * *", 6,
            "minute field: step 61 in '0-59/61' reaches past the end of its range, so it selects only 0, as in Debian "
                + "cron; write '0' if that is what you mean"
        ),
        (
            "0 0 1 */13 *", 9,
            "month field: step 13 in '*/13' reaches past the end of its range, so it selects only 1 (JAN), as in "
                + "Debian cron; write '1' if that is what you mean"
        ),
    ])
    func aSingleValueStepIsAWarning(expression: String, column: Int, message: String) throws {
        let schedule = try CronSchedule.parse(expression)
        #expect(schedule.warnings == [CronWarning(column: column, message: message)])
    }

    @Test(arguments: ["*/15 * * * *", "0 0 1-7 * 2", "0 9 * * MON-FRI", "*/30 0 * * *", "5 */12 * * *", "59/2 * * * *", "@hourly"])
    func ordinaryStepsGiveNoWarning(_ expression: String) throws {
        #expect(try CronSchedule.parse(expression).warnings.isEmpty)
    }
}
