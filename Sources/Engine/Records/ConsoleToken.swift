public import Foundation

/// A named console token (SPEC §11): what it may do and who made it. The token itself is never stored.
public struct ConsoleToken: Sendable, Equatable {
    /// What a token may do: a viewer reads; an operator also runs, cancels, retries, emits, approves and rejects;
    /// an admin also reloads and manages tokens.
    public enum Role: String, Sendable, CaseIterable, Comparable {
        case viewer, `operator`, admin

        public static func < (a: Role, b: Role) -> Bool {
            Role.allCases.firstIndex(of: a)! < Role.allCases.firstIndex(of: b)!
        }
    }

    public var name: String
    public var role: Role
    public var createdAt: Date
    /// The Unix user (or token) that created it.
    public var createdBy: String

    public init(name: String, role: Role, createdAt: Date, createdBy: String) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// `{"name", "role", "created_at", "created_by"}`.
    public var json: JSONValue {
        [
            "name": .string(self.name), "role": .string(self.role.rawValue),
            "created_at": .string(Timestamp.format(self.createdAt)), "created_by": .string(self.createdBy),
        ]
    }
}
