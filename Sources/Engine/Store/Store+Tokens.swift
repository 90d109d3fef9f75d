import Crypto
public import Foundation
import GRDB

extension Store {
    /// Names a token may have: what fits in a log line and a URL without quoting.
    static let tokenNamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

    /// Creates token `name` with `role` and returns the token: 32 random bytes as hex, prefixed `tdc_`. Only its
    /// SHA-256 is stored. Throws `.invalidInput` for a bad name, `.conflict` when the name exists.
    public func createToken(name: String, role: ConsoleToken.Role, by creator: String, at now: Date) async throws
        -> String
    {
        guard name.range(of: Self.tokenNamePattern, options: .regularExpression) != nil else {
            throw EngineError(
                .invalidInput,
                "token name '\(name)' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        var generator = SystemRandomNumberGenerator()
        let secret = "tdc_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let hash = Self.tokenHash(secret)
        try await self.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM console_token WHERE name = ?", arguments: [name]) == true {
                throw EngineError(.conflict, "a token named '\(name)' already exists (revoke it first)")
            }
            try db.execute(
                sql: "INSERT INTO console_token (name, role, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, role.rawValue, hash, now.timeIntervalSince1970, creator])
        }
        return secret
    }

    /// Every token, by name.
    public func tokens() async throws -> [ConsoleToken] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, created_at, created_by FROM console_token ORDER BY name").map {
                ConsoleToken(
                    name: $0["name"], role: ConsoleToken.Role(rawValue: $0["role"]) ?? .viewer,
                    createdAt: Date(timeIntervalSince1970: $0["created_at"]), createdBy: $0["created_by"])
            }
        }
    }

    /// Deletes token `name`; `.notFound` when there is none.
    public func revokeToken(name: String) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM console_token WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw EngineError(.notFound, "no token named '\(name)'") }
        }
    }

    /// The token whose secret is `secret`, or nil. The lookup is by hash, so the secret is never compared.
    public func token(secret: String) async throws -> ConsoleToken? {
        let hash = Self.tokenHash(secret)
        return try await self.read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, role, created_at, created_by FROM console_token WHERE hash = ?", arguments: [hash]
            ).map {
                ConsoleToken(
                    name: $0["name"], role: ConsoleToken.Role(rawValue: $0["role"]) ?? .viewer,
                    createdAt: Date(timeIntervalSince1970: $0["created_at"]), createdBy: $0["created_by"])
            }
        }
    }

    /// Lower-case hex SHA-256 of a token.
    static func tokenHash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
