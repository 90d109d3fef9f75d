import Foundation
import GRDB

/// Rows of the `delivery` table: one per webhook delivery that got past verification (and each filtered one).
enum DeliveryRows {
    /// A delivery row to insert.
    struct Row: Sendable {
        var id: String
        var workflow: String
        var path: String
        var dedupeKey: String?
        var receivedAt: Date
        /// `started` (a run), `emitted` (an event), `filtered`, `error`.
        var outcome: String
        var reason: String?
        var runID: String?
        var eventID: String?
        var headers: JSONValue?
        var body: [UInt8]?
    }

    /// An earlier delivery with the same dedupe key inside the window.
    struct Earlier: Sendable {
        var id: String
        var runID: String?
        var eventID: String?
    }

    /// Inserts a row. A dedupe key older than `expiredBefore` is released first, so the unique index only ever
    /// holds keys inside the dedupe window.
    static func insert(_ db: Database, _ row: Row, expiredBefore: Date?) throws {
        if let key = row.dedupeKey, let expiredBefore {
            try db.cachedStatement(
                sql: "UPDATE delivery SET dedupe_key = NULL WHERE workflow = ? AND dedupe_key = ? AND received_at < ?"
            ).execute(arguments: [row.workflow, key, expiredBefore.timeIntervalSince1970])
        }
        try db.run(
            """
            INSERT INTO delivery (id, workflow, path, dedupe_key, received_at, outcome, reason, run_id, event_id,
                headers_json, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ) {
            $0.bind(row.id); $0.bind(row.workflow); $0.bind(row.path); $0.bind(row.dedupeKey); $0.bind(row.receivedAt)
            $0.bind(row.outcome); $0.bind(row.reason); $0.bind(row.runID); $0.bind(row.eventID)
            $0.bind(row.headers?.jsonString()); $0.bind(row.body)
        }
    }

    /// The delivery that first used `key` for `workflow` at or after `since`.
    static func earlier(_ db: Database, workflow: String, key: String, since: Date) throws -> Earlier? {
        let statement = try db.cachedStatement(
            sql: "SELECT id, run_id, event_id FROM delivery WHERE workflow = ? AND dedupe_key = ? AND received_at >= ?")
        let row = try GRDB.Row.fetchOne(statement, arguments: [workflow, key, since.timeIntervalSince1970])
        return row.map { Earlier(id: $0["id"], runID: $0["run_id"], eventID: $0["event_id"]) }
    }

    /// Newest first, with the status of each delivery's run.
    static func list(_ db: Database, workflow: String?, limit: Int) throws -> [JSONValue] {
        var sql = """
            SELECT delivery.id, delivery.workflow, delivery.path, delivery.dedupe_key, delivery.received_at,
                delivery.outcome, delivery.reason, delivery.run_id, delivery.event_id, run.status AS run_status
            FROM delivery LEFT JOIN run ON run.id = delivery.run_id
            """
        var arguments: StatementArguments = []
        if let workflow {
            sql += " WHERE delivery.workflow = ?"
            arguments += [workflow]
        }
        sql += " ORDER BY delivery.received_at DESC, delivery.id DESC LIMIT ?"
        arguments += [limit]
        return try GRDB.Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            func text(_ column: String) -> JSONValue { (row[column] as String?).map { .string($0) } ?? .null }
            let received = Date(timeIntervalSince1970: row["received_at"])
            return .object([
                "id": text("id"), "workflow": text("workflow"), "path": text("path"), "dedupe_key": text("dedupe_key"),
                "received_at": .string(Timestamp.format(received)), "outcome": text("outcome"), "reason": text("reason"),
                "run_id": text("run_id"), "run_status": text("run_status"), "event_id": text("event_id"),
            ])
        }
    }
}
