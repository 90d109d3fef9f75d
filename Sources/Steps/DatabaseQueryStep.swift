public import Engine
import Foundation
import GRDB
import Logging

/// `database_query`: one SQL statement against a SQLite database named in the configuration (SPEC §6).
///
/// `with`: `database` (a name under `databases:`), `sql` (exactly one statement), `params` (a list for
/// `?` placeholders or an object for `:name` ones; always bound, never spliced into the SQL), `timeout`
/// (default 30s; the statement is interrupted when it runs longer or the step is cancelled).
///
/// Output: `rows` (a list of objects keyed by column name, values typed as SQLite stored them), `changes`
/// (rows inserted, updated or deleted; 0 for reads) and `last_insert_rowid` (for writes). A database with
/// `read_only: true` is opened read-only, so writes fail. Errors name the database and give SQLite's message.
public struct DatabaseQueryStep: StepExecutor {
    public let kind = "database_query"
    public static let defaultTimeout = 30.0
    /// More rows than this fail the step (add a LIMIT): a run's output is stored and must stay small.
    public static let maxRows = 10_000

    let databases: SQLiteDatabases

    public init(databases: [String: DatabaseConfiguration]) {
        self.databases = SQLiteDatabases(databases)
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let name = request.with["database"]?.stringValue, !name.isEmpty else {
            throw StepFailure("'with.database' must name a database of the configuration", retryable: false)
        }
        guard let sql = request.with["sql"]?.stringValue, !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StepFailure("'with.sql' must be one SQL statement", retryable: false)
        }
        let arguments = try SQLiteValues.arguments(request.with["params"])
        let timeout = try StepFields.duration(request.with["timeout"], field: "timeout") ?? Self.defaultTimeout
        let (queue, configuration) = try self.databases.queue(named: name)
        var logger = request.logger
        logger[metadataKey: LogKey.stepKind] = "\(self.kind)"
        logger[metadataKey: LogKey.database] = "\(name)"

        let queryGuard = SQLiteQueryGuard(queue: queue)
        let timer = Task {
            try await Task.sleep(for: .seconds(timeout))
            queryGuard.interrupt()
        }
        defer { timer.cancel() }
        do {
            let output = try await withTaskCancellationHandler {
                try await Self.run(sql, arguments, on: queue, readOnly: configuration.readOnly, guard: queryGuard)
            } onCancel: {
                queryGuard.interrupt()
            }
            let changes = output["changes"]?.intValue ?? 0
            logger.debug("Database statement done", metadata: [LogKey.databaseChanges: "\(changes)"])
            return .completed(output)
        } catch let error as DatabaseError {
            if Task.isCancelled { throw CancellationError() }
            if error.resultCode == .SQLITE_INTERRUPT || queryGuard.wasInterrupted {
                throw StepFailure("database '\(name)': the statement ran longer than \(DurationText.format(timeout)) and was interrupted")
            }
            // Busy and locked clear when the other writer finishes; anything else is in the SQL or the data.
            let transient = [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode)
            let message = error.message ?? "\(error.resultCode)"
            throw StepFailure("database '\(name)': \(message) (SQLite error \(error.resultCode.rawValue))", retryable: transient)
        }
    }

    /// Prepares, binds and steps the statement on the database's thread.
    private static func run(
        _ sql: String, _ arguments: StatementArguments, on queue: DatabaseQueue, readOnly: Bool, guard queryGuard: SQLiteQueryGuard
    ) async throws -> JSONValue {
        let work: @Sendable (Database) throws -> JSONValue = { db in
            guard queryGuard.begin() else { throw DatabaseError(resultCode: .SQLITE_INTERRUPT, message: "interrupted") }
            defer { queryGuard.end() }
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(arguments)
            var rows: [JSONValue] = []
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                guard rows.count < Self.maxRows else {
                    throw TooManyRows()
                }
                rows.append(SQLiteValues.object(row))
            }
            var output: [String: JSONValue] = ["rows": .array(rows), "changes": 0]
            if !statement.isReadonly {
                output["changes"] = .number(Double(db.changesCount))
                output["last_insert_rowid"] = .number(Double(db.lastInsertedRowID))
            }
            return .object(output)
        }
        do {
            return readOnly ? try await queue.read(work) : try await queue.write(work)
        } catch is TooManyRows {
            throw DatabaseError(
                resultCode: .SQLITE_TOOBIG,
                message: "the statement returned more than \(Self.maxRows) rows; add a LIMIT")
        }
    }

    private struct TooManyRows: Error {}
}
