import Foundation
import GRDB
import Testing

@testable import Engine

/// Run events are inserted up to 16 per statement; the seqs handed back (and published) must be the stored ones.
@Suite("run event rows")
struct RunEventRowsTests {
    static func events(_ count: Int, run: String) -> [RunEvent] {
        (0..<count).map { i in
            let type: RunEvent.Kind = i % 2 == 0 ? .stepStarted : .stepCompleted
            let error: String? = i == 3 ? "boom" : nil
            let output: JSONValue? = i == 5 ? .object(["n": .number(Double(i))]) : nil
            return RunEvent(
                at: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)), type: type, runID: run, workflow: "wf",
                step: "s\(i)", attempt: 1, status: "running", error: error, output: output)
        }
    }

    struct Stored: Sendable, Equatable {
        let seq: Int64
        let step: String
        let error: String?
        let output: String?
    }

    @Test(arguments: [1, 4, 16, 17, 40])
    func seqsHandedBackAreTheStoredOnesInOrder(_ count: Int) async throws {
        let store = try Store.inMemory()
        let first = try await store.write { db in try RunRows.insertEvents(db, Self.events(3, run: "warm")) }
        // A gap in the table (the newest rows deleted) must not make numbers repeat: AUTOINCREMENT never reuses.
        try await store.write { db in try db.execute(sql: "DELETE FROM run_event WHERE seq >= ?", arguments: [first[1]]) }
        let written = Self.events(count, run: "r")
        let seqs = try await store.write { db in try RunRows.insertEvents(db, written) }
        let stored = try await store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, step, error, output_json FROM run_event WHERE run_id = 'r' ORDER BY seq")
                .map { Stored(seq: $0["seq"], step: $0["step"], error: $0["error"], output: $0["output_json"]) }
        }
        #expect(seqs == stored.map(\.seq))
        #expect(seqs.first == first[2] + 1)
        #expect(stored.map(\.step) == written.map { $0.step ?? "" })
        #expect(stored.map(\.error) == written.map(\.error))
        let outputs = stored.map { $0.output.flatMap { try? JSONValue.parse($0) } }
        #expect(outputs == written.map(\.output))
    }
}
