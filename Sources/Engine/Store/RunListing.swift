import Foundation
import GRDB

/// One page of `GET /v1/runs`: newest first, filtered by workflow, status and trigger kind, keyset-paged by
/// `before` (a run id: its `seq`; or a time). Never counts: each filter is an index range in `seq` order
/// (`run_by_workflow`, `run_by_status`, `run_by_trigger`), so a page costs the same with a million runs.
enum RunListing {
    /// The SQL of a page with these filters present (`?` for each, in the order workflow, status, trigger, before).
    static func sql(workflow: Bool, status: Bool, trigger: Bool, beforeSeq: Bool, beforeTime: Bool, limit: Int) -> String {
        var sql = "SELECT * FROM run WHERE 1 = 1"
        if workflow { sql += " AND workflow = ?" }
        if status { sql += " AND status = ?" }
        if trigger { sql += " AND trigger_type = ?" }
        if beforeSeq { sql += " AND seq < ?" }
        if beforeTime { sql += " AND created_at < ?" }
        return sql + " ORDER BY seq DESC LIMIT \(limit)"
    }

    static func page(_ db: Database, _ query: RunQuery) throws -> [RunRecord] {
        let limit = min(max(query.limit, 1), 1000)
        var arguments: [any DatabaseValueConvertible] = []
        if let workflow = query.workflow { arguments.append(workflow) }
        if let status = query.status { arguments.append(status.rawValue) }
        if let kind = query.triggerType {
            arguments.append(try TriggerKind.parse(kind, option: "?trigger=").rawValue)
        }
        var beforeSeq = false
        var beforeTime = false
        if let before = query.before {
            if let date = Timestamp.parse(before) {
                beforeTime = true
                arguments.append(date.timeIntervalSince1970)
            } else {
                // An unknown id would silently list nothing; say so instead.
                guard let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM run WHERE id = ?", arguments: [before]) else {
                    throw EngineError(
                        .invalidInput, "before='\(before)' is neither a run id nor an RFC 3339 time such as 2026-01-15T08:00:00Z")
                }
                beforeSeq = true
                arguments.append(seq)
            }
        }
        let sql = self.sql(
            workflow: query.workflow != nil, status: query.status != nil, trigger: query.triggerType != nil,
            beforeSeq: beforeSeq, beforeTime: beforeTime, limit: limit)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(RunRows.runRecord)
    }
}
