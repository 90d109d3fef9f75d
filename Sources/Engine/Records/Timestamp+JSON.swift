import Foundation

extension Timestamp {
    /// An optional time as API JSON: an RFC 3339 string, or `null` when there is no time yet.
    static func json(_ date: Date?) -> JSONValue {
        date.map { .string(Timestamp.format($0)) } ?? .null
    }
}
