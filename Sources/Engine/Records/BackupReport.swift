public import Foundation

/// What `POST /v1/backup` (`triggerctl backup FILE`) wrote.
public struct BackupReport: Sendable, Equatable {
    /// The absolute path of the copy.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int
    /// When the copy was taken.
    public var at: Date

    public init(path: String, bytes: Int, at: Date) {
        self.path = path
        self.bytes = bytes
        self.at = at
    }

    /// `{"path", "bytes", "at"}`.
    public var json: JSONValue {
        .object([
            "path": .string(self.path), "bytes": .number(Double(self.bytes)), "at": .string(Timestamp.format(self.at)),
        ])
    }
}
