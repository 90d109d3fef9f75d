import Foundation
import GRDB
import Logging
import Testing

@testable import Engine

@Suite("retention: the cron fire ledger")
struct RetentionLedgerTests {
    static let day = 86_400.0

    @Test func oldSlotsGoButEachTriggerKeepsItsNewestAndItsQueuedSlots() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let now = clock.now().timeIntervalSince1970
        // "busy": 1,200 slots a minute apart, ending 40 days ago, plus one queued slot among them; "daily": three
        // slots, the newest 35 days ago (a schedule that stopped firing); "fresh": one slot an hour ago.
        let busyEnd = now - 40 * Self.day
        try await store.write { db in
            func insert(_ workflow: String, _ at: Double, _ outcome: String) throws {
                try db.execute(
                    sql: """
                        INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, run_id, outcome)
                        VALUES (?, 'cron:* * * * *@UTC', ?, ?, NULL, ?)
                        """,
                    arguments: [workflow, at, at, outcome])
            }
            for i in 0..<1_200 { try insert("busy", busyEnd - Double(i) * 60, i == 600 ? "queued" : "started") }
            for i in 0..<3 { try insert("daily", now - Double(35 + i) * Self.day, "started") }
            try insert("fresh", now - 3_600, "started")
        }
        var config = DaemonConfiguration()
        config.retention.runs = 30 * Self.day
        let metrics = Metrics()
        // Batches of 500 force several transactions, one of them spanning the end of one trigger and the next.
        let service = RetentionService(
            store: store, configuration: config, clock: clock, logger: Logger(label: "test"), metrics: metrics,
            batchSize: 500)
        let report = try await service.pruneOnce()

        let left = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT workflow, scheduled_at, outcome FROM schedule_ledger ORDER BY workflow, scheduled_at")
                .map { "\($0["workflow"] as String) \(Int(now - ($0["scheduled_at"] as Double))) \($0["outcome"] as String)" }
        }
        #expect(
            left == [
                "busy \(Int(40 * Self.day + 600 * 60)) queued", "busy \(Int(40 * Self.day)) started",
                "daily \(Int(35 * Self.day)) started", "fresh 3600 started",
            ])
        #expect(report.scheduleLedger == 1_198 + 2)
        #expect(metrics.value(RetentionService.prunedMetric, ["kind": "schedule_ledger"]) == 1_200)

        // A second pass finds nothing more.
        #expect(try await service.pruneOnce().scheduleLedger == 0)
    }
}
