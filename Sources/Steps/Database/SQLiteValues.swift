import Engine
import Foundation
import GRDB

/// Conversions between step values and SQLite values.
enum SQLiteValues {
    /// The largest integer a JSON number (a double) carries exactly; larger integers are output as text.
    static let exactIntegerLimit: Int64 = 1 << 53

    /// `params`: a list binds `?` / `?NNN` in order, an object binds `:name`, `@name` or `$name`.
    static func arguments(_ value: JSONValue?) throws -> StatementArguments {
        switch value ?? .null {
        case .null: return StatementArguments()
        case .array(let items): return StatementArguments(items.map { self.databaseValue($0) })
        case .object(let fields): return StatementArguments(fields.mapValues { self.databaseValue($0) as (any DatabaseValueConvertible)? })
        case let single: return StatementArguments([self.databaseValue(single)])
        }
    }

    /// null → NULL, bool → 1/0, whole numbers → INTEGER, other numbers → REAL, strings → TEXT, lists and
    /// objects → their JSON text.
    static func databaseValue(_ value: JSONValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return (flag ? 1 : 0 as Int64).databaseValue
        case .number(let n):
            if n.rounded() == n, abs(n) < 9.2e18 { return Int64(n).databaseValue }
            return n.databaseValue
        case .string(let text): return text.databaseValue
        case .array, .object: return value.jsonString().databaseValue
        }
    }

    /// One row as an object: INTEGER and REAL as numbers (integers beyond 2^53 as text, to stay exact),
    /// TEXT as strings, BLOB as base64 text, NULL as null.
    static func object(_ row: Row) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (column, value) in row {
            fields[column] = self.json(value)
        }
        return .object(fields)
    }

    static func json(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: return .null
        case .int64(let n): return abs(n) <= self.exactIntegerLimit ? .number(Double(n)) : .string(String(n))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .blob(let data): return .string(data.base64EncodedString())
        }
    }
}
