import Foundation
import GRDB
import Testing

@testable import Engine

/// `GET /v1/runs` pages: the trigger-kind filter (a retry and a replay are kinds of their own), and the plans that
/// keep every filter one index range in run order, whatever the number of runs.
@Suite("run listing")
struct RunListingTests {
    @Test func theTriggerKindFilterSeparatesRetriesAndReplaysFromTheirOriginalType() async throws {
        let calls = CallLog()
        let h = try EngineHarness(executors: [FlakyStep(kind: "http_request", failures: 1, calls: calls)], calls: calls)
        _ = try await h.load(
            """
            steps:
              flaky: { type: http_request, with: { url: "http://127.0.0.1:1/x" } }
            """)
        let failed = try await h.engine.startRun(workflow: "wf", trigger: ["type": "cron", "scheduled_at": "x"], input: [:])
        _ = await h.waitForEnd(failed)
        let retry = try await h.engine.retry(runID: failed)
        _ = await h.waitForEnd(retry)
        let replay = try await h.engine.startRun(workflow: "wf", trigger: ["type": "webhook", "replay_of": "d1"], input: [:])
        let hook = try await h.engine.startRun(workflow: "wf", trigger: ["type": "webhook"], input: [:])
        let manual = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        for id in [replay, hook, manual] { _ = await h.waitForEnd(id) }

        func ids(_ kind: String?) async throws -> [String] {
            try await h.engine.runs(RunQuery(triggerType: kind)).map(\.id)
        }
        #expect(try await ids("cron") == [failed])
        #expect(try await ids("retry") == [retry])
        #expect(try await ids("replay") == [replay])
        #expect(try await ids("webhook") == [hook])
        #expect(try await ids("manual") == [manual])
        #expect(try await ids("event") == [])
        #expect(try await ids(nil) == [manual, hook, replay, retry, failed])
        // The retry's trigger still says what the workflow reads: the original type.
        #expect(try await h.engine.run(id: retry)?.trigger["type"] == "cron")
        // Keyset pages with a filter.
        #expect(try await h.engine.runs(RunQuery(limit: 1, before: manual, triggerType: "webhook")).map(\.id) == [hook])
        await #expect(throws: EngineError(.invalidInput, "")) { try await h.engine.runs(RunQuery(triggerType: "ftp")) }
        do {
            _ = try await h.engine.runs(RunQuery(triggerType: "ftp"))
        } catch let error as EngineError {
            #expect(error.message == "unknown trigger kind 'ftp' in ?trigger= (expected one of: manual, cron, webhook, event, retry, replay)")
        }
    }

    @Test func theV6MigrationGivesOldRetriesAndReplaysTheirKind() async throws {
        let queue = try DatabaseQueue()
        var migrator = StoreSchema.migrator
        try migrator.migrate(queue, upTo: "v5: console tokens")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO workflow_version VALUES ('v', 'wf', 'wf.yaml', '', 0)")
            for (id, type, trigger, retryOf) in [
                ("a", "webhook", #"{"type":"webhook","replay_of":"d1"}"#, nil as String?),
                ("b", "cron", #"{"type":"cron","retry_of":"x"}"#, "x"),
                ("c", "webhook", #"{"type":"webhook"}"#, nil),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO run (id, seq, workflow, version, status, trigger_type, trigger_json, input_json, created_at, retry_of)
                        VALUES (?, 1, 'wf', 'v', 'completed', ?, ?, '{}', 0, ?)
                        """,
                    arguments: [id, type, trigger, retryOf])
            }
        }
        migrator = StoreSchema.migrator
        try migrator.migrate(queue)
        let kinds = try await queue.read { db in try Row.fetchAll(db, sql: "SELECT id, trigger_type FROM run ORDER BY id").map { "\($0[0] as String)=\($0[1] as String)" } }
        #expect(kinds == ["a=replay", "b=retry", "c=webhook"])
    }

    /// The plan SQLite picks for one page with these filters.
    private func plan(workflow: Bool = false, status: Bool = false, trigger: Bool = false, beforeSeq: Bool = false) async throws -> [String] {
        let sql = RunListing.sql(workflow: workflow, status: status, trigger: trigger, beforeSeq: beforeSeq, beforeTime: false, limit: 50)
        let placeholders = sql.filter { $0 == "?" }.count
        return try await Store.inMemory().read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(Array(repeating: "x", count: placeholders)))
                .map { $0["detail"] as String }
        }
    }

    @Test(arguments: [
        (false, false, false, "run_by_seq"), (true, false, false, "run_by_workflow (workflow=?"),
        (false, true, false, "run_by_status (status=?"), (false, false, true, "run_by_trigger (trigger_type=?"),
        (true, true, false, "run_by_workflow_status (workflow=? AND status=?"),
    ])
    func eachFilterIsAnIndexRangeInRunOrder(workflow: Bool, status: Bool, trigger: Bool, index: String) async throws {
        for beforeSeq in [false, true] {
            let plan = try await self.plan(workflow: workflow, status: status, trigger: trigger, beforeSeq: beforeSeq)
            #expect(plan.contains { $0.contains(index) }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "no sort of the matching runs: \(plan)")
        }
    }
}
