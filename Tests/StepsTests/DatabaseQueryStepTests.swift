import Engine
import Foundation
import Steps
import Testing

/// `database_query` on SQLite files in a temporary directory per test.
@Suite struct DatabaseQueryStepTests {
    struct Databases {
        let directory: URL
        let step: DatabaseQueryStep

        func run(_ database: String, _ sql: String, _ params: JSONValue = nil, timeout: JSONValue = nil) async throws -> JSONValue {
            var with: [String: JSONValue] = ["database": .string(database), "sql": .string(sql), "params": params]
            if timeout != .null { with["timeout"] = timeout }
            return try StepTesting.output(try await self.step.execute(StepTesting.request("database_query", with)))
        }

        func failure(_ database: String, _ sql: String, _ params: JSONValue = nil, timeout: JSONValue = nil) async -> StepFailure? {
            await StepTesting.failure {
                var with: [String: JSONValue] = ["database": .string(database), "sql": .string(sql), "params": params]
                if timeout != .null { with["timeout"] = timeout }
                return try await self.step.execute(StepTesting.request("database_query", with))
            }
        }
    }

    /// `app` (writable, with a `note` table) and `reports` (the same file, read-only).
    private static func withDatabases(_ body: (Databases) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dbq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("app.db").path
        // An empty file is an empty SQLite database.
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let step = DatabaseQueryStep(databases: [
            "app": DatabaseConfiguration(path: path), "reports": DatabaseConfiguration(path: path, readOnly: true),
            "missing": DatabaseConfiguration(path: directory.appendingPathComponent("nope.db").path),
        ])
        let databases = Databases(directory: directory, step: step)
        _ = try await databases.run("app", "CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT NOT NULL, score REAL, data BLOB, flag INTEGER)")
        try await body(databases)
    }

    @Test func paramsAreBoundAndRowsKeepTheirTypes() async throws {
        try await Self.withDatabases { db in
            let inserted = try await db.run("app", "INSERT INTO note (title, score, flag) VALUES (?, ?, ?)", ["first", 1.5, true])
            #expect(inserted["changes"] == 1)
            #expect(inserted["last_insert_rowid"] == 1)
            let named = try await db.run(
                "app", "INSERT INTO note (title, score, data) VALUES (:title, :score, X'DEADBEEF')", ["title": "second", "score": nil])
            #expect(named["changes"] == 1)
            let rows = try await db.run("app", "SELECT id, title, score, data, flag FROM note ORDER BY id")
            #expect(
                rows["rows"] == [
                    ["id": 1, "title": "first", "score": 1.5, "data": nil, "flag": 1],
                    ["id": 2, "title": "second", "score": nil, "data": "3q2+7w==", "flag": nil],
                ])
            #expect(rows["changes"] == 0)
            #expect(rows["last_insert_rowid"] == nil)
        }
    }

    @Test func injectionAttemptIsStoredAsText() async throws {
        try await Self.withDatabases { db in
            let hostile = "x'); DROP TABLE note; --"
            _ = try await db.run("app", "INSERT INTO note (title) VALUES (?)", [.string(hostile)])
            let rows = try await db.run("app", "SELECT title FROM note WHERE title = ?", [.string(hostile)])
            #expect(rows["rows"] == [["title": .string(hostile)]])
        }
    }

    @Test func updatesReportChangedRows() async throws {
        try await Self.withDatabases { db in
            for title in ["a", "b", "c"] { _ = try await db.run("app", "INSERT INTO note (title, score) VALUES (?, 1)", [.string(title)]) }
            let updated = try await db.run("app", "UPDATE note SET score = score + 1 WHERE title <> ?", ["b"])
            #expect(updated["changes"] == 2)
            let total = try await db.run("app", "SELECT sum(score) AS total, count(*) AS n FROM note")
            #expect(total["rows"] == [["total": 5, "n": 3]])
        }
    }

    @Test func readOnlyDatabaseRefusesWrites() async throws {
        try await Self.withDatabases { db in
            let failure = await db.failure("reports", "INSERT INTO note (title) VALUES ('x')")
            #expect(failure?.retryable == false)
            #expect(failure?.message.hasPrefix("database 'reports': attempt to write a readonly database") == true)
            let rows = try await db.run("reports", "SELECT count(*) AS n FROM note")
            #expect(rows["rows"] == [["n": 0]])
        }
    }

    @Test func errorsNameTheDatabaseAndSQLitesMessage() async throws {
        try await Self.withDatabases { db in
            let noTable = await db.failure("app", "SELECT * FROM missing_table")
            #expect(noTable?.message == "database 'app': no such table: missing_table (SQLite error 1)")
            #expect(noTable?.retryable == false)
            let constraint = await db.failure("app", "INSERT INTO note (title) VALUES (?)", [nil])
            #expect(constraint?.message == "database 'app': NOT NULL constraint failed: note.title (SQLite error 19)")
            let wrongCount = await db.failure("app", "SELECT * FROM note WHERE id = ?", [1, 2])
            #expect(wrongCount?.message.hasPrefix("database 'app': wrong number of statement arguments") == true)
            let two = await db.failure("app", "SELECT 1; SELECT 2")
            #expect(two?.message.contains("Multiple statements found") == true)
            let unknown = await db.failure("nosuch", "SELECT 1")
            #expect(unknown?.message == "no database named 'nosuch' in the configuration (known: app, missing, reports)")
            let missing = await db.failure("missing", "SELECT 1")
            #expect(missing?.message.contains("does not exist") == true)
        }
    }

    @Test func longStatementIsInterruptedAtTheTimeoutAndTheDatabaseStaysUsable() async throws {
        try await Self.withDatabases { db in
            let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
            let started = ContinuousClock.now
            let failure = await db.failure("app", endless, timeout: "200ms")
            // The query never ends by itself: returning at all shows the interrupt. The bound only catches an
            // interrupt that fires far too late; it is loose because a loaded CI machine can delay any task.
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(failure?.message == "database 'app': the statement ran longer than 200ms and was interrupted")
            #expect(failure?.retryable == true)
            let after = try await db.run("app", "SELECT 42 AS answer")
            #expect(after["rows"] == [["answer": 42]])
        }
    }

    @Test func cancellingTheStepInterruptsTheStatement() async throws {
        try await Self.withDatabases { db in
            let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
            let task = Task { try await db.run("app", endless, timeout: "1h") }
            // Whether the cancel lands before or during the statement, the call ends promptly with CancellationError.
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            let after = try await db.run("app", "SELECT 1 AS one")
            #expect(after["rows"] == [["one": 1]])
        }
    }
}
