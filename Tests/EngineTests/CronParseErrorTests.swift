import Testing

@testable import Engine

/// Every refusal names the field, points at the column of the bad token and says what the field accepts.
@Suite("Cron parse errors")
struct CronParseErrorTests {
    @Test(arguments: [
        // Shape of the expression.
        (
            "", 1,
            "empty cron expression (expected 5 or 6 fields such as '*/15 * * * *', or a nickname such as '@daily')"
        ),
        ("* * * *", 1, "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), found 4"),
        (
            "* * * * * * *", 13,
            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), found 7"
        ),
        // Out of range, per field.
        ("60 * * * *", 1, "minute field: 60 is out of range (0-59)"),
        ("0 24 * * *", 3, "hour field: 24 is out of range (0-23)"),
        ("  0 24 * * *", 5, "hour field: 24 is out of range (0-23)"),
        ("0 0 0 * *", 5, "day-of-month field: 0 is out of range (1-31)"),
        ("0 0 * 13 *", 7, "month field: 13 is out of range (1-12)"),
        ("0 0 * * 8", 9, "day-of-week field: 8 is out of range (0-7)"),
        ("60 0 0 * * *", 1, "second field: 60 is out of range (0-59)"),
        ("0 0 1-32 * *", 7, "day-of-month field: 32 is out of range (1-31)"),
        ("0 0 * * 99999999999", 9, "day-of-week field: 99999999999 is out of range (0-7)"),
        // Words that are not values.
        ("x * * * *", 1, "minute field: 'x' is not a number (expected 0-59)"),
        ("0 0 * JANUARY *", 7, "month field: 'JANUARY' is not a month (expected 1-12 or JAN-DEC)"),
        ("0 0 * * MOO", 9, "day-of-week field: 'MOO' is not a day (expected 0-7 or SUN-SAT)"),
        ("0 0 MON * *", 5, "day-of-month field: 'MON' is not a number (expected 1-31)"),
        ("0 0 * * 5-", 11, "day-of-week field: missing value (expected 0-7 or SUN-SAT)"),
        // Steps, ranges, lists.
        ("*/0 * * * *", 3, "minute field: step 0 is not allowed (a step is at least 1)"),
        ("0 0 * * 1-5/0", 13, "day-of-week field: step 0 is not allowed (a step is at least 1)"),
        ("*/ * * * *", 2, "minute field: missing step after '/' (expected a whole number from 1 up, as in '*/15')"),
        ("*/x * * * *", 3, "minute field: step 'x' is not a number (expected a whole number from 1 up, as in '*/15')"),
        ("0 0 * * */-1", 11, "day-of-week field: step '-1' is not a number (expected a whole number from 1 up, as in '*/2')"),
        (
            "*/1234567890 * * * *", 3,
            "minute field: step 1234567890 is too large (any step of 60 or more selects only the first value)"
        ),
        ("1/2/3 * * * *", 4, "minute field: more than one '/' in '1/2/3'"),
        ("0 22-2 * * *", 3, "hour field: range 22-2 is backwards (write it as 22-23,0-2)"),
        ("1,,2 * * * *", 2, "minute field: empty item in the list '1,,2'"),
        (",1 * * * *", 1, "minute field: empty item in the list ',1'"),
        ("? * * * *", 1, "minute field: '?' is only allowed in the day-of-month and day-of-week fields"),
        // Day specials in the wrong place or incomplete.
        ("0 L * * *", 3, "hour field: 'L': only the day-of-month and day-of-week fields accept 'L'"),
        ("0 0 * * 15W", 9, "day-of-week field: '15W': only the day-of-month field accepts 'W' (as in '15W')"),
        ("0 0 1#2 * *", 5, "day-of-month field: '1#2': only the day-of-week field accepts '#' (as in 'MON#2')"),
        ("0 0 1-L * *", 7, "day-of-month field: 'L' can't be part of a range or take a step"),
        ("0 0 * * L", 9, "day-of-week field: 'L' needs a day before it, as in '5L' (the last Friday)"),
        ("0 0 W * *", 5, "day-of-month field: 'W' needs a day before it, as in '15W' (the weekday nearest the 15th)"),
        ("0 0 32W * *", 5, "day-of-month field: 32 is out of range (1-31)"),
        ("0 0 L-31 * *", 7, "day-of-month field: L-31 is out of range (L-0 to L-30)"),
        ("0 0 L-x * *", 7, "day-of-month field: 'L-x' needs a number of days before the last day, as in 'L-3'"),
        ("0 0 * * MON#6", 13, "day-of-week field: occurrence 6 in 'MON#6' is out of range (1-5)"),
        ("0 0 * * MON#", 12, "day-of-week field: 'MON#' needs an occurrence 1-5 after '#', as in 'MON#2'"),
        ("0 0 * * FUN#2", 9, "day-of-week field: 'FUN' is not a day (expected 0-7 or SUN-SAT)"),
        // Nicknames and @every.
        (
            "@dayly", 1,
            "unknown nickname '@dayly' (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly "
                + "or @every DURATION)"
        ),
        ("@daily 5", 8, "'@daily' takes nothing after it"),
        ("@every", 1, "@every needs a duration, as in '@every 5m' or '@every 1h30m'"),
        ("@every 1h 30m", 11, "@every takes one duration with no spaces, as in '@every 1h30m'"),
        ("@every 500ms", 8, "@every: interval '500ms' is shorter than the minimum of 1s"),
        ("@every 0s", 8, "@every: interval '0s' is shorter than the minimum of 1s"),
        ("@every 1500ms", 8, "@every: interval '1500ms' is not a whole number of seconds"),
        ("@every 5x", 8, "@every: bad duration '5x' (expected a unit: ms, s, m, h or d, as in '10s')"),
        ("@every 99999999999d", 8, "@every: interval '99999999999d' is too long"),
    ])
    func refusal(text: String, column: Int, message: String) {
        #expect(throws: CronError(column: column, message: message)) {
            try CronSchedule.parse(text)
        }
    }

    @Test func descriptionIsTheMessage() {
        let error = CronError(column: 3, message: "hour field: 24 is out of range (0-23)")
        #expect(error.description == "hour field: 24 is out of range (0-23)")
        #expect("\(error)" == "hour field: 24 is out of range (0-23)")
    }

    @Test(arguments: [
        "0 0 * * FRI-SUN", "0 0 * * 0-7", "0 0 ? * ?", "0 0 LW,L-2,15W * *", "0 0 * * 1#1,5L,SUN", "*/60 * * * *",
        "0 0 1 JAN-DEC/3 *", "0\t0\t*\t*\t*", "@every 1s", "@every 2h45m", "@Hourly",
    ])
    func accepted(text: String) throws {
        _ = try CronSchedule.parse(text)
    }
}
