import Foundation
import Testing

@testable import Engine

/// `overlap` decides what a fire does while a run of the same trigger is still active (SPEC §5).
@Suite("scheduler: overlap")
struct SchedulerOverlapTests {
    /// Runs park on an approval nobody gives, so they stay active until cancelled.
    private func parked(_ overlap: String) -> String {
        cronWorkflow("*/10 * * * * *", extra: "overlap: \(overlap)", steps: "  ask: { type: wait_for_approval, with: { message: hold } }")
    }

    /// Polls until the scheduler has started `count` runs (it reacts to run-end events asynchronously).
    private func waitForRuns(_ h: SchedulerHarness, _ count: Int) async throws -> [RunRecord] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let runs = try await h.runs()
            if runs.count >= count, await h.scheduler.isIdle { return runs }
            await Task.yield()
        }
        Issue.record("never reached \(count) runs")
        return try await h.runs()
    }

    @Test func allowStartsEveryFire() async throws {
        try await SchedulerHarness.with(["o": parked("allow")]) { h in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            #expect(try await h.scheduledTimes() == [utc(10), utc(20)])
        }
    }

    @Test func skipRecordsTheSkippedSlot() async throws {
        try await SchedulerHarness.with(["o": parked("skip")]) { h in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            let runs = try await h.runs()
            #expect(runs.map { $0.trigger["scheduled_at"] } == [.string(utc(10))])
            #expect(try await h.ledger().map { [$0.scheduledAt, $0.outcome] } == [[utc(10), "started"], [utc(20), "skipped"]])
            #expect(await h.schedule("o")?["skipped"] == 1)
            // Once the run has ended, the next slot fires again.
            try await h.engine.cancel(runID: try #require(runs.first?.id))
            try await h.set(SchedulerHarness.at(30))
            #expect(try await h.scheduledTimes() == [utc(10), utc(30)])
        }
    }

    @Test func queueHoldsTheSlotUntilThePreviousRunEndsEvenAcrossARestart() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock()
        let h = try await SchedulerHarness(["o": parked("queue")], store: store, clock: clock)
        try await h.set(SchedulerHarness.at(10))
        try await h.set(SchedulerHarness.at(20))
        #expect(try await h.scheduledTimes() == [utc(10)])
        #expect(try await h.ledger().map(\.outcome) == ["started", "queued"])
        #expect(await h.schedule("o")?["queued"] == 1)

        try await h.engine.cancel(runID: try #require(try await h.runs().first?.id))
        let runs = try await self.waitForRuns(h, 2)
        #expect(runs.map { $0.trigger["scheduled_at"] } == [.string(utc(10)), .string(utc(20))])
        #expect(runs.last?.trigger["queued"] == true)
        #expect(try await h.ledger().last == LedgerRow(workflow: "o", key: "cron:*/10 * * * * *@UTC", scheduledAt: utc(20), runID: runs.last?.id, outcome: "started"))

        // Slot 30 queues behind the run of 20; the daemon restarts; the held slot survives in the ledger.
        try await h.set(SchedulerHarness.at(30))
        await h.stop()
        clock.set(SchedulerHarness.at(31))
        let restarted = try await SchedulerHarness(["o": parked("queue")], store: store, clock: clock)
        #expect(await restarted.schedule("o")?["queued"] == 1)
        #expect(try await restarted.runs().count == 2)
        try await restarted.engine.cancel(runID: try #require(runs.last?.id))
        let after = try await self.waitForRuns(restarted, 3)
        #expect(after.last?.trigger["scheduled_at"] == .string(utc(30)))
        #expect(try await restarted.ledger().map(\.outcome) == ["started", "started", "started"])
        await restarted.stop()
    }

    @Test func cancelPreviousCancelsTheActiveRunThenStarts() async throws {
        try await SchedulerHarness.with(["o": parked("cancel_previous")]) { h in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            let runs = try await h.runs()
            #expect(runs.map { $0.trigger["scheduled_at"] } == [.string(utc(10)), .string(utc(20))])
            #expect(runs.first?.status == .cancelled)
            #expect(runs.last?.status != .cancelled)
            #expect(try await h.engine.activeRunIDs(workflow: "o", triggerKey: "cron:*/10 * * * * *@UTC") == [runs.last?.id])
        }
    }
}
