import Foundation
import GRDB
import Testing

@testable import Engine

@Suite("Store: console tokens")
struct StoreTokensTests {
    @Test func aTokenIsShownOnceAndStoredOnlyAsItsHash() async throws {
        let store = try Store.inMemory()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let secret = try await store.createToken(name: "ci-bot", role: .operator, by: "alice", at: now)
        #expect(secret.hasPrefix("tdc_") && secret.count == 68)
        let stored = try await store.read { db in try String.fetchAll(db, sql: "SELECT hash FROM console_token") }
        #expect(stored == [Store.tokenHash(secret)])
        #expect(!stored[0].contains(secret.dropFirst(4)))
        #expect(try await store.token(secret: secret)?.role == .operator)
        #expect(try await store.token(secret: secret + "x") == nil)
        #expect(
            try await store.tokens() == [ConsoleToken(name: "ci-bot", role: .operator, createdAt: now, createdBy: "alice")]
        )
        let again = await #expect(throws: EngineError.self) {
            try await store.createToken(name: "ci-bot", role: .viewer, by: "alice", at: now)
        }
        #expect(again?.code == .conflict)
        let badName = await #expect(throws: EngineError.self) {
            try await store.createToken(name: "no spaces", role: .viewer, by: "alice", at: now)
        }
        #expect(badName?.code == .invalidInput)
        try await store.revokeToken(name: "ci-bot")
        #expect(try await store.token(secret: secret) == nil)
        let gone = await #expect(throws: EngineError.self) { try await store.revokeToken(name: "ci-bot") }
        #expect(gone?.code == .notFound)
    }

    @Test func rolesAreOrdered() {
        #expect(ConsoleToken.Role.viewer < .operator && ConsoleToken.Role.operator < .admin)
    }
}
