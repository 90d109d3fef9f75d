import Foundation
import Testing

@testable import Engine

/// Slots missed while the daemon was down follow `catch_up` at start; a wall-clock jump is handled the same
/// way, never as a burst; a backward jump re-fires nothing.
@Suite("scheduler: catch-up and clock jumps")
struct SchedulerCatchUpTests {
    /// Last fired 00:01:00; back at 01:01:30, so the 60 slots 00:02:00 … 01:01:00 were missed.
    private func afterDowntime(_ extra: String, _ body: (SchedulerHarness) async throws -> Void) async throws {
        let store = try Store.inMemory()
        let yaml = cronWorkflow("0 * * * * *", extra: extra)
        let key = try #require(try WorkflowLoader().load(source: yaml, file: "d.yaml", defaultName: "d").cronTriggers.first?.key)
        try await store.write { db in
            try ScheduleLedger.insert(
                db, workflow: "d", key: key, scheduledAt: SchedulerHarness.at(60), firedAt: SchedulerHarness.at(60), runID: nil,
                outcome: .started)
        }
        try await SchedulerHarness.with(["d": yaml], store: store, clock: ManualClock(now: SchedulerHarness.at(3690))) { h in try await body(h) }
    }

    @Test func noneFiresNothingAndCountsTheMisses() async throws {
        try await afterDowntime("catch_up: none") { h async throws in
            #expect(try await h.runs().isEmpty)
            #expect(await h.schedule("d")?["misses"] == 60)
            #expect(await h.schedule("d")?["next"] == "2026-01-01T01:02:00+00:00")
            #expect(await h.scheduler.statistics().misses == 60)
        }
    }

    @Test func latestFiresTheMostRecentMissedSlotOnce() async throws {
        try await afterDowntime("catch_up: latest") { h async throws in
            let runs = try await h.runs()
            #expect(runs.map { $0.trigger["scheduled_at"] } == [.string(utc(3660))])
            #expect(runs.first?.trigger["catch_up"] == true)
            #expect(runs.first?.trigger["fired_at"] == .string(utc(3690)))
            #expect(await h.schedule("d")?["misses"] == 59)
            #expect(await h.scheduler.statistics().catchUpFires == 1)
        }
    }

    @Test func allFiresTheMostRecentUpToTheLimitInOrder() async throws {
        try await afterDowntime("catch_up: all, catch_up_limit: 5") { h async throws in
            #expect(try await h.scheduledTimes() == [3420, 3480, 3540, 3600, 3660].map { utc(Double($0)) })
            #expect(await h.schedule("d")?["misses"] == 55)
        }
        try await afterDowntime("catch_up: all") { h async throws in
            #expect(try await h.scheduledTimes().count == 10)
        }
        try await afterDowntime("catch_up: all, catch_up_limit: 100") { h async throws in
            #expect(try await h.scheduledTimes() == (2...61).map { utc(Double($0 * 60)) })
            #expect(await h.schedule("d")?["misses"] == 0)
        }
    }

    @Test func aWeekOfPerSecondSlotsIsNotReplayed() async throws {
        let store = try Store.inMemory()
        let yaml = cronWorkflow("* * * * * *", extra: "catch_up: latest")
        try await store.write { db in
            try ScheduleLedger.insert(
                db, workflow: "s", key: "cron:* * * * * *@UTC", scheduledAt: SchedulerHarness.at(0), firedAt: SchedulerHarness.at(0),
                runID: nil, outcome: .started)
        }
        let week = 7 * 86_400.0
        try await SchedulerHarness.with(["s": yaml], store: store, clock: ManualClock(now: SchedulerHarness.at(week + 0.5))) { h async throws in
            // 01:00:00.5 a week later: the slot at .0 is current (within the grace), the one before is the latest
            // missed one; the rest only count as misses (counted up to a cap).
            #expect(try await h.scheduledTimes() == [utc(week - 1), utc(week)])
            #expect(await h.schedule("s")?["misses"] == .number(Double(MissedSlots.countCap - 1)))
        }
    }

    @Test func aForwardJumpIsDowntimeNotABurst() async throws {
        for (policy, expected) in [
            ("catch_up: none", [3600.0]), ("catch_up: latest", [3590, 3600]), ("catch_up: all, catch_up_limit: 3", [3570, 3580, 3590, 3600]),
        ] {
            try await SchedulerHarness.with(["j": cronWorkflow("*/10 * * * * *", extra: policy)]) { h in
                try await h.set(SchedulerHarness.at(10))
                // The clock steps an hour ahead while the scheduler sleeps towards 00:00:20.
                try await h.set(SchedulerHarness.at(3601))
                #expect(try await h.scheduledTimes() == [utc(10)] + expected.map(utc), "\(policy)")
                #expect(await h.schedule("j")?["misses"] == .number(Double(359 - expected.count)), "\(policy)")
                #expect(await h.scheduler.statistics().clockJumps == 1)
                #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(3610))
            }
        }
    }

    @Test func aBackwardJumpNeverRefiresASlot() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock()
        let workflows = ["b": cronWorkflow("*/10 * * * * *", extra: "catch_up: all")]
        let h = try await SchedulerHarness(workflows, store: store, clock: clock)
        try await h.set(SchedulerHarness.at(10))
        try await h.set(SchedulerHarness.at(20))
        // Two minutes back; a reload wakes the scheduler so it sees the new time.
        try await h.set(SchedulerHarness.at(-100))
        try await h.reload(await h.engine.workflowsForTests)
        #expect(await h.scheduler.statistics().clockJumps == 1)
        #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(30))
        try await h.set(SchedulerHarness.at(25))
        try await h.set(SchedulerHarness.at(30))
        #expect(try await h.scheduledTimes() == [utc(10), utc(20), utc(30)])
        await h.stop()

        // A restart while the clock is behind the ledger continues after the last fired slot.
        clock.set(SchedulerHarness.at(-50))
        let restarted = try await SchedulerHarness(workflows, store: store, clock: clock)
        #expect(await restarted.scheduler.sleepingUntil == SchedulerHarness.at(40))
        try await restarted.set(SchedulerHarness.at(40))
        #expect(try await restarted.scheduledTimes() == [utc(10), utc(20), utc(30), utc(40)])
        await restarted.stop()
    }
}
