import Foundation
import GRDB
import Testing

@testable import Engine

/// The C-level binder of the run path's inserts: every type lands as GRDB would have stored it, and failures are
/// GRDB `DatabaseError`s with SQLite's own code and message.
@Suite("statement binder")
struct StatementBinderTests {
    static func queue() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, s TEXT, d REAL, i INTEGER, b BLOB, at REAL)")
        }
        return queue
    }

    @Test func valuesLandWithTheirTypesAndEmptyIsNotNull() throws {
        let queue = try Self.queue()
        let when = Date(timeIntervalSince1970: 1_795_737_237.125)
        try queue.write { db in
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)") {
                $0.bind("full"); $0.bind("ünï 日本 🚀 end"); $0.bind(2.5); $0.bind(Int64.min); $0.bind([0, 1, 255] as [UInt8])
                $0.bind(when)
            }
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)") {
                $0.bind("empty"); $0.bind(""); $0.bind(0.0); $0.bind(Int.max); $0.bind([] as [UInt8]); $0.bind(nil as Date?)
            }
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)") {
                $0.bind("nulls"); $0.bind(nil as String?); $0.bind(nil as Double?); $0.bind(nil as Int?)
                $0.bind(nil as [UInt8]?); $0.bind(nil as Date?)
            }
        }
        try queue.read { db in
            let full = try #require(try Row.fetchOne(db, sql: "SELECT * FROM t WHERE k = 'full'"))
            #expect(full["s"] as String? == "ünï 日本 🚀 end")
            #expect(full["d"] as Double? == 2.5)
            #expect(full["i"] as Int64? == Int64.min)
            #expect(full["b"] as Data? == Data([0, 1, 255]))
            #expect(full["at"] as Double? == when.timeIntervalSince1970)
            let types = try Row.fetchOne(db, sql: "SELECT typeof(s), typeof(b), typeof(at), i FROM t WHERE k = 'empty'")
            #expect(types?[0] as String? == "text")
            #expect(types?[1] as String? == "blob")
            #expect(types?[2] as String? == "null")
            #expect(types?[3] as Int64? == Int64(Int.max))
            let nulls = try String.fetchAll(db, sql: "SELECT typeof(s) || typeof(d) || typeof(i) || typeof(b) FROM t WHERE k = 'nulls'")
            #expect(nulls == ["nullnullnullnull"])
        }
    }

    @Test func aConstraintFailureIsADatabaseErrorAndTheStatementRunsAgainAfterIt() throws {
        let queue = try Self.queue()
        try queue.write { db in
            try db.run("INSERT INTO t (k) VALUES (?)") { $0.bind("a") }
            do {
                try db.run("INSERT INTO t (k) VALUES (?)") { $0.bind("a") }
                Issue.record("a duplicate key was accepted")
            } catch let error as DatabaseError {
                #expect(error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
                #expect(error.message?.contains("UNIQUE constraint failed: t.k") == true, "\(error)")
            }
            try db.run("INSERT INTO t (k) VALUES (?)") { $0.bind("b") }
        }
        #expect(try queue.read { db in try String.fetchAll(db, sql: "SELECT k FROM t ORDER BY k") } == ["a", "b"])
    }

    @Test func bindingTheWrongNumberOfValuesIsRefusedBeforeRunning() throws {
        let queue = try Self.queue()
        try queue.write { db in
            #expect(throws: DatabaseError.self) { try db.run("INSERT INTO t (k, s) VALUES (?, ?)") { $0.bind("only one") } }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 0)
    }
}
