import Foundation
import GRDB
import Logging
import Testing

@testable import Engine

/// A slot fires at most once: the ledger row is written in the transaction that creates the run, and a
/// second writer of the same slot creates nothing (SPEC §5).
@Suite("scheduler: ledger")
struct SchedulerLedgerTests {
    @Test func twoSchedulersOnOneStoreFireASlotOnce() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock()
        // `concurrency: 1` shows that the refused creation also gave back its concurrency slot.
        let yaml = cronWorkflow("*/10 * * * * *") + "\nconcurrency: { limit: 1 }"
        let a = try await SchedulerHarness(["dup": yaml], store: store, clock: clock)
        let b = try await SchedulerHarness(["dup": yaml], store: store, clock: clock)
        clock.set(SchedulerHarness.at(10))
        try await a.settle(observed: SchedulerHarness.at(10))
        try await b.settle(observed: SchedulerHarness.at(10))

        let runs = try await a.runs()
        #expect(runs.count == 1)
        #expect(try await a.ledger().map(\.runID) == [runs.first?.id])
        let started = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_event WHERE type = 'run.started'") ?? -1
        }
        #expect(started == 1)
        let refused = await a.scheduler.statistics().duplicatesRefused + b.scheduler.statistics().duplicatesRefused
        #expect(refused == 1)
        // Neither engine holds a concurrency slot for the run that was never created: once the real run has
        // ended, a manual run on either engine starts at once instead of queueing.
        let id = try #require(runs.first?.id)
        _ = try await a.base.waitUntil(id) { $0.status == .completed }
        for h in [a, b] {
            let (manual, started) = try await h.engine.startAndClaim("dup")
            #expect(started == "running")
            let status = try await h.engine.run(id: manual)?.status
            #expect(status != .pending, "a concurrency slot leaked from the refused creation")
            if status == .pending {
                try await h.engine.cancel(runID: manual)
            } else {
                _ = await h.engine.waitForCompletion(runID: manual)
            }
        }
        await a.stop()
        await b.stop()
    }

    @Test func aRefusedHookLeavesNoRunBehind() async throws {
        let h = try EngineHarness()
        let definition = try await h.load(cronWorkflow("*/10 * * * * *"), name: "w")
        let slot = SchedulerHarness.at(10)
        try await h.store.write { db in
            try ScheduleLedger.insert(db, workflow: "w", key: "k", scheduledAt: slot, firedAt: slot, runID: nil, outcome: .started)
        }
        await #expect(throws: ScheduleLedger.SlotTaken.self) {
            _ = try await h.engine.startRun(
                definition: definition, trigger: ["type": "cron"], input: [:], triggerKey: "k",
                hook: { db, runID in
                    try ScheduleLedger.insert(db, workflow: "w", key: "k", scheduledAt: slot, firedAt: slot, runID: runID, outcome: .started)
                })
        }
        let counts = try await h.store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM step_run") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_event") ?? -1
            )
        }
        #expect(counts == (0, 0, 0))
        #expect(try await h.engine.runs(RunQuery()).isEmpty)
    }

    @Test func restartInTheMiddleOfADueSlotDoesNotFireItAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sched-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state.db"
        let clock = ManualClock()
        let workflows = ["r": cronWorkflow("*/10 * * * * *", extra: "catch_up: all")]

        let first = try await SchedulerHarness(workflows, store: try Store(path: path), clock: clock)
        try await first.set(SchedulerHarness.at(10))
        #expect(try await first.scheduledTimes() == [utc(10)])
        await first.stop()

        // The new process starts 0.4 s into the same slot, on the same database file.
        clock.set(SchedulerHarness.at(10.4))
        let second = try await SchedulerHarness(workflows, store: try Store(path: path), clock: clock)
        #expect(try await second.scheduledTimes() == [utc(10)])
        #expect(await second.scheduler.sleepingUntil == SchedulerHarness.at(20))
        #expect(await second.schedule("r")?["last_scheduled_at"] == .string(utc(10)))
        try await second.set(SchedulerHarness.at(20))
        #expect(try await second.scheduledTimes() == [utc(10), utc(20)])
        #expect(try await second.ledger().map(\.scheduledAt) == [utc(10), utc(20)])
        await second.stop()
    }

    @Test func aSlotDueJustBeforeAStartFiresLateInsteadOfBeingLost() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock()
        let workflows = ["r": cronWorkflow("*/10 * * * * *")]
        let first = try await SchedulerHarness(workflows, store: store, clock: clock)
        try await first.set(SchedulerHarness.at(10))
        // The process dies before the slot at 20 fires, and is back 1.5 s later (within the grace).
        await first.stop()
        clock.set(SchedulerHarness.at(21.5))
        let second = try await SchedulerHarness(workflows, store: store, clock: clock)
        let runs = try await second.runs()
        #expect(runs.compactMap { $0.trigger["scheduled_at"]?.stringValue } == [utc(10), utc(20)])
        #expect(runs.last?.trigger["fired_at"] == .string(utc(21.5)))
        #expect(runs.last?.trigger["catch_up"] == nil)
        await second.stop()
    }
}
