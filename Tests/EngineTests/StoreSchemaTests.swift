import GRDB
import Testing

@testable import Engine

@Suite("store schema")
struct StoreSchemaTests {
    /// The plan SQLite picks for `sql`, one line per step.
    func plan(_ store: Store, _ sql: String) async throws -> [String] {
        try await store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        }
    }

    @Test func theApprovalListingSearchesAnIndexInsteadOfScanningEveryWait() async throws {
        let store = try Store.inMemory()
        let plan = try await self.plan(
            store,
            "SELECT wait.*, run.workflow FROM wait JOIN run ON run.id = wait.run_id WHERE wait.kind = 'approval' ORDER BY wait.created_at"
        )
        #expect(plan.contains { $0.contains("SEARCH wait USING INDEX wait_by_kind (kind=?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "the order should come from the index: \(plan)")
    }
}
