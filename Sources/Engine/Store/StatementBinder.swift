import Foundation
import GRDB
import GRDBSQLite

/// Binds values in order straight to a prepared statement through SQLite's C API.
///
/// ```swift
/// try db.run("INSERT INTO note (name, at) VALUES (?, ?)") { $0.bind(name); $0.bind(date) }
/// ```
///
/// The run path's inserts and updates (runs, steps, events, deliveries) go through it: GRDB's
/// `StatementArguments` boxes every value and binds it through generic code, which was a quarter of the work
/// done on the single writer thread per webhook delivery (callgrind). Strings and blobs are copied by SQLite
/// (`SQLITE_TRANSIENT`), so nothing bound has to outlive the call.
struct StatementBinder {
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    fileprivate let handle: OpaquePointer
    /// Parameters bound so far (SQLite numbers them from 1).
    fileprivate private(set) var count: Int32 = 0
    /// The first binding SQLite refused (out of memory, too big), reported when the statement runs.
    fileprivate private(set) var failure: Int32 = SQLITE_OK

    fileprivate init(handle: OpaquePointer) { self.handle = handle }

    private mutating func next(_ bind: (OpaquePointer, Int32) -> Int32) {
        self.count += 1
        let code = bind(self.handle, self.count)
        if code != SQLITE_OK, self.failure == SQLITE_OK { self.failure = code }
    }

    mutating func bind(_ value: String?) {
        guard var text = value else { return self.next { sqlite3_bind_null($0, $1) } }
        self.next { handle, index in
            text.withUTF8 { bytes in
                // An empty buffer may have no address; SQLite would take a null pointer as NULL, not "".
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
                }
            }
        }
    }

    mutating func bind(_ value: Double?) {
        guard let value else { return self.next { sqlite3_bind_null($0, $1) } }
        self.next { sqlite3_bind_double($0, $1, value) }
    }

    mutating func bind(_ value: Date?) { self.bind(value?.timeIntervalSince1970) }

    mutating func bind(_ value: Int64?) {
        guard let value else { return self.next { sqlite3_bind_null($0, $1) } }
        self.next { sqlite3_bind_int64($0, $1, value) }
    }

    mutating func bind(_ value: Int?) { self.bind(value.map(Int64.init)) }

    mutating func bind(_ value: [UInt8]?) {
        guard let value else { return self.next { sqlite3_bind_null($0, $1) } }
        self.next { handle, index in
            value.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
            }
        }
    }
}

extension Database {
    /// Runs the cached statement for `sql`, which returns no rows, with the values `bind` binds in order.
    /// Errors are GRDB's `DatabaseError`, as from `execute(sql:arguments:)`.
    func run(_ sql: String, _ bind: (inout StatementBinder) -> Void) throws {
        let handle = try self.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        var binder = StatementBinder(handle: handle)
        bind(&binder)
        guard binder.count == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "bound \(binder.count) values for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
        }
        guard binder.failure == SQLITE_OK else { throw self.failure(binder.failure, sql: sql) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let error = self.failure(code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    private func failure(_ code: Int32, sql: String) -> DatabaseError {
        let connection = self.sqliteConnection
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
    }
}
