import Foundation
import GRDB
import Testing

@testable import Engine

/// A `triggerd.db` written before the work queue (schema v6) opens, is backed up, upgrades in place, and its
/// runs, waits and ledger carry on.
@Suite("store: upgrade")
struct StoreUpgradeTests {
    static let parked = """
        inputs: { order: { type: string } }
        steps:
          before: { type: transform, with: { value: 1 } }
          wait: { type: wait_for_event, needs: [before], with: { event: order.paid, key: "{{ input.order }}" } }
          after: { type: transform, needs: [wait], with: { value: "{{ steps.wait.output.data.amount }}" } }
        """

    /// Turns an up-to-date database back into what the release before the queue wrote: the v7 columns, index
    /// and migration record removed. Every row in it was written by the engine itself.
    static func downgradeToV6(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    DROP INDEX run_queue;
                    ALTER TABLE run DROP COLUMN claim_seq;
                    ALTER TABLE run DROP COLUMN owner;
                    DELETE FROM grdb_migrations WHERE identifier = 'v7: work queue';
                    """)
        }
    }

    @Test func aStoreFromBeforeTheQueueUpgradesAndItsRunsCarryOn() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("triggerd.db").path
        let calls = CallLog()
        let executors: [any StepExecutor] = [ParkStep(kind: "wait_for_event", calls: calls)]

        var finished = ""
        var waiting = ""
        do {
            let old = try EngineHarness(store: try Store(path: path), executors: executors, calls: calls)
            _ = try await old.load(Self.parked)
            finished = try await old.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "o-1"])
            _ = try await old.engine.emit(name: "order.paid", key: "o-1", data: ["amount": 3])
            #expect(try #require(await old.waitForEnd(finished)).status == .completed)
            waiting = try await old.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "o-2"])
            _ = try await old.waitUntil(waiting) { $0.status == .waiting }
            let slotRun = finished
            try await old.store.write { db in
                try ScheduleLedger.insert(
                    db, workflow: "wf", key: "cron:0", scheduledAt: Date(timeIntervalSince1970: 1_800_000_000),
                    firedAt: Date(timeIntervalSince1970: 1_800_000_001), runID: slotRun, outcome: .started)
            }
            await old.engine.shutdown(grace: 0)
        }
        try Self.downgradeToV6(path)
        let ranBefore = calls.all

        let upgraded = try Store(path: path)
        let backup = path + ".before-v6"
        #expect(FileManager.default.fileExists(atPath: backup))
        let backupColumns = try await DatabaseQueue(path: backup).read { db in try db.columns(in: "run").map(\.name) }
        #expect(!backupColumns.contains("claim_seq"), "the backup is the database as it was")
        let claims = try await upgraded.read { db in try Int.fetchAll(db, sql: "SELECT claim_seq FROM run ORDER BY seq") }
        #expect(claims == [1, 1], "runs from before the queue count as started")

        let h = try EngineHarness(store: upgraded, executors: executors, calls: calls)
        _ = try await h.load(Self.parked)
        try await h.engine.recover()
        #expect(h.engine.queuedRuns == 0)
        #expect(try await h.engine.run(id: finished)?.status == .completed)
        #expect(try await h.engine.run(id: waiting)?.status == .waiting)
        let resumed = try await h.engine.emit(name: "order.paid", key: "o-2", data: ["amount": 7])
        #expect(resumed.resumed == [waiting])
        let done = try #require(await h.waitForEnd(waiting))
        #expect(done.status == .completed)
        #expect(done.output == .number(7))
        // Nothing that ran before the upgrade ran again; only the resumed run's last step did.
        #expect(calls.all == ranBefore + ["after"])
        let ledger = try await upgraded.read { db in
            try String.fetchAll(db, sql: "SELECT run_id FROM schedule_ledger WHERE workflow = 'wf'")
        }
        #expect(ledger == [finished])
        // Opening it again does not back it up again: it is up to date.
        try FileManager.default.removeItem(atPath: backup)
        _ = try Store(path: path)
        #expect(!FileManager.default.fileExists(atPath: backup))
    }
}
