import GRDB
import Testing

@testable import Engine

/// The plans SQLite picks for the lookups whose cost must not grow with the number of parked runs. Each test
/// reads the plan of the SQL the code runs (shared constants in WaitRows), on the migrated schema.
@Suite("store schema")
struct StoreSchemaTests {
    /// The plan SQLite picks for `sql`, one line per step (placeholder values do not change the plan).
    func plan(_ sql: String) async throws -> [String] {
        let placeholders = sql.filter { $0 == "?" }.count
        let arguments = StatementArguments(Array(repeating: "x", count: placeholders))
        return try await Store.inMemory().read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    @Test func theApprovalListingReadsOnlyApprovalWaitsInOrder() async throws {
        let plan = try await self.plan(WaitRows.approvalsSQL)
        #expect(plan.contains { $0.contains("wait USING INDEX wait_approval_by_time") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "the order should come from the index: \(plan)")
    }

    /// Every emit runs these: with 100,000 runs parked on events, a plan through any index led by `kind` scans
    /// them all (v3's wait_by_kind did, and parking slowed ten-fold).
    @Test(arguments: [WaitRows.eventWaitsForKeySQL, WaitRows.eventWaitsWithoutKeySQL])
    func anEmitFindsItsWaitsByNameAndKey(_ sql: String) async throws {
        let plan = try await self.plan(sql)
        #expect(plan.contains { $0.contains("SEARCH wait USING INDEX wait_by_event (event_name=? AND key=?)") }, "\(plan)")
    }

    @Test func aNewEventWaitLooksBackByNameKeyAndTime() async throws {
        let keyed = try await self.plan(WaitRows.recentEventsForKeySQL)
        #expect(keyed.contains { $0.contains("USING INDEX event_by_name_key (name=? AND key=? AND received_at>?)") }, "\(keyed)")
        let keyless = try await self.plan(WaitRows.recentEventsSQL)
        #expect(keyless.contains { $0.contains("USING INDEX event_by_name_time (name=? AND received_at>?)") }, "\(keyless)")
    }
}
