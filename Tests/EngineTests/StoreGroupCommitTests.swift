import Foundation
import GRDB
import Synchronization
import Testing

@testable import Engine

/// The store's group commit: writers that arrive while a commit runs share the next transaction, and one that
/// fails there fails alone.
@Suite("store group commit")
struct StoreGroupCommitTests {
    struct Refused: Error {}

    @Test func aFailingWriteInABatchFailsAloneAndTheOthersCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("t.db").path)
        try await store.write { db in try db.execute(sql: "CREATE TABLE note (name TEXT PRIMARY KEY)") }
        let before = store.commits
        // The first write holds the writer until the next five are queued behind it, so they commit as one batch.
        let release = DispatchSemaphore(value: 0)
        let holding = Atomic<Bool>(false)
        async let blocker: Void = store.write { db in
            holding.store(true, ordering: .relaxed)
            release.wait()
            try db.execute(sql: "INSERT INTO note VALUES ('first')")
        }
        while !holding.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
        async let results = withTaskGroup(of: (String, Bool).self) { group in
            for name in ["a", "b", "bad", "c", "first"] {
                group.addTask {
                    do {
                        try await store.write { db in
                            if name == "bad" {
                                try db.execute(sql: "INSERT INTO note VALUES ('bad')")
                                throw Refused()
                            }
                            try db.execute(sql: "INSERT INTO note VALUES (?)", arguments: [name])
                        }
                        return (name, true)
                    } catch {
                        return (name, false)
                    }
                }
            }
            var all: [String: Bool] = [:]
            for await (name, ok) in group { all[name] = ok }
            return all
        }
        while await store.batcher.queued < 5 { try await Task.sleep(for: .milliseconds(5)) }
        release.signal()
        let outcomes = await results
        try await blocker
        // 'bad' threw after writing its row; 'first' again breaks the primary key: both fail, nothing of theirs stays.
        #expect(outcomes == ["a": true, "b": true, "bad": false, "c": true, "first": false])
        let names = try await store.read { db in try String.fetchAll(db, sql: "SELECT name FROM note ORDER BY name") }
        #expect(names == ["a", "b", "c", "first"])
        #expect(store.commits - before == 2, "the five queued writes share one commit")
    }
}
