import Foundation
import Testing

@testable import Engine

/// `CronPreview.rfc3339`, the format `triggerctl next --json` prints.
@Suite("Cron preview")
struct CronPreviewTests {
    @Test(arguments: [
        (1_772_953_200.0, "America/New_York", "2026-03-08T03:00:00-04:00"),
        (1_772_953_199.0, "America/New_York", "2026-03-08T01:59:59-05:00"),
        (0.0, "UTC", "1970-01-01T00:00:00+00:00"),
        (-1.0, "UTC", "1969-12-31T23:59:59+00:00"),
        (12.9, "UTC", "1970-01-01T00:00:12+00:00"),
        (1_767_225_600.0, "Asia/Kolkata", "2026-01-01T05:30:00+05:30"),
        (1_768_478_400.0, "America/St_Johns", "2026-01-15T08:30:00-03:30"),
        (1_768_435_200.0, "Pacific/Chatham", "2026-01-15T13:45:00+13:45"),
        (1_325_239_200.0, "Pacific/Apia", "2011-12-31T00:00:00+14:00"),
        (1_325_239_199.0, "Pacific/Apia", "2011-12-29T23:59:59-10:00"),
        (1_767_225_600.0, "Europe/Dublin", "2026-01-01T00:00:00+00:00"),
        (1_782_864_000.0, "Europe/Dublin", "2026-07-01T01:00:00+01:00"),
    ])
    func formats(seconds: Double, zone: String, expected: String) {
        #expect(CronPreview.rfc3339(Date(timeIntervalSince1970: seconds), in: CronTesting.zone(zone)) == expected)
    }

    @Test func localMeanTimeOffsetsAreCutToWholeMinutesConsistently() {
        // Dublin Mean Time was -00:25:21; RFC 3339 offsets have no seconds, so the wall time follows the cut offset.
        let text = CronPreview.rfc3339(
            Date(timeIntervalSince1970: -2_208_988_800),
            in: CronTesting.zone("Europe/Dublin")
        )
        #expect(text == "1899-12-31T23:35:00-00:25")
        #expect(CronTesting.instant(text) == Date(timeIntervalSince1970: -2_208_988_800))
    }

    @Test func roundTripsThroughTheTestParser() throws {
        let zone = CronTesting.zone("Australia/Lord_Howe")
        let schedule = try CronSchedule.parse("*/15 * * * *")
        var cursor = CronTesting.instant("2026-04-05T01:20:00+11:00")
        for _ in 0..<8 {
            let fire = try #require(schedule.next(after: cursor, in: zone))
            #expect(CronTesting.instant(CronPreview.rfc3339(fire, in: zone)) == fire)
            cursor = fire
        }
    }
}
