import Foundation
import GRDB
import Testing

@testable import Engine

@Suite("Store backup (triggerctl backup)")
struct StoreBackupTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "store-backup-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aBackupIsAConsistentDatabaseWithTheRuns() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let h = try EngineHarness(store: try Store(path: directory + "/live.db"))
        _ = try await h.load("steps:\n  a: { type: transform, with: { value: 7 } }\n")
        let run = try await h.run("wf")

        let bytes = try await h.store.backup(toNewFile: directory + "/copy.db")
        #expect(bytes > 0)
        let copy = try Store(path: directory + "/copy.db")
        let restored = try await copy.read { db in try RunRows.fetchRun(db, id: run.id) }
        #expect(restored?.status == .completed)
        #expect(restored?.output == 7)
        // No temporary file is left behind.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!files.contains { $0.contains(".partial-") })
    }

    @Test func refusesRelativePathsMissingDirectoriesAndExistingFiles() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store.inMemory()
        try "keep me".write(toFile: directory + "/taken.db", atomically: true, encoding: .utf8)

        for (path, code, message) in [
            ("copy.db", EngineError.Code.invalidInput, "backup path 'copy.db' must be absolute"),
            (
                directory + "/nope/copy.db", .invalidInput,
                "cannot write backup \(directory)/nope/copy.db: directory \(directory)/nope does not exist"
            ),
            (
                directory + "/taken.db", .conflict,
                "backup file \(directory)/taken.db already exists; remove it or choose another name"
            ),
        ] {
            let error = await #expect(throws: EngineError.self) { _ = try await store.backup(toNewFile: path) }
            #expect(error?.code == code)
            #expect(error?.message == message)
        }
        #expect(try String(contentsOfFile: directory + "/taken.db", encoding: .utf8) == "keep me")
    }
}
