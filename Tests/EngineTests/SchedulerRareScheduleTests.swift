import Foundation
import Testing

@testable import Engine

/// A schedule whose fires are decades apart: the scheduler sleeps until the next one (no spinning, no overflow),
/// fires it, and catches up over a jump of many decades with a few searches (issue #17 item 3).
@Suite("scheduler: schedules that fire rarely")
struct SchedulerRareScheduleTests {
    private func at(_ text: String) -> Date { CronTesting.instant(text) }

    @Test func aMonday29FebruaryFiresDecadesApartAndCatchesUp() async throws {
        let workflow = cronWorkflow("0 0 * 2 1#5", extra: "catch_up: all")
        try await SchedulerHarness.with(["leap": workflow]) { h in
            #expect(await h.scheduler.sleepingUntil == self.at("2044-02-29T00:00:00Z"))
            try await h.set(self.at("2044-02-29T00:00:00Z"))
            #expect(try await h.scheduledTimes() == [Timestamp.format(self.at("2044-02-29T00:00:00Z"))])
            #expect(await h.scheduler.sleepingUntil == self.at("2072-02-29T00:00:00Z"))

            // The clock jumps past three slots (2072, 2112 across the non-leap 2100, 2140): all are caught up.
            try await h.set(self.at("2150-01-01T00:00:00Z"))
            let expected = ["2044", "2072", "2112", "2140"].map { Timestamp.format(self.at("\($0)-02-29T00:00:00Z")) }
            #expect(try await h.scheduledTimes() == expected)
            #expect(await h.scheduler.sleepingUntil == self.at("2168-02-29T00:00:00Z"))
        }
    }
}
