import Foundation
import Testing

/// The kill -9 half of the waits suite: `for_each` items and wait deadlines across a crash and restart.
extension WaitsEndToEndTests {
    @Test func forEachInterruptedByKill9RedoesOnlyUnfinishedItems() throws {
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent(
            "items-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: marks) }
        let workflow = """
            name: fan
            steps:
              each:
                type: for_each
                with:
                  items: \((0..<20).map { "item-\($0)" })
                  concurrency: 5
                  step:
                    type: command
                    with: { argv: ["/bin/sh", "-c", "echo {{ index }} >> \(marks); sleep 0.3; echo {{ item }}"] }
            """
        let daemon = try DaemonProcess(workflows: ["fan.yaml": workflow])
        defer { daemon.stop() }
        try daemon.start()
        let id = try Self.start(daemon, "fan")
        // Eight items started means at least three finished (a slot frees only when an item's result is stored).
        try daemon.waitUntil("the second wave of items to start") { Self.lines(marks).count >= 8 }
        daemon.kill9()

        let finished = try Self.completedItems(database: daemon.stateDir + "/triggerd.db", runID: id)
        #expect(
            finished.count >= 3 && finished.count < 20,
            "items stored as completed at the kill: \(finished.sorted())"
        )

        try daemon.start()
        try daemon.waitUntil(timeout: 60, "the run to complete after restart") {
            try daemon.run(id)["status"] as? String == "completed"
        }
        let counts = Dictionary(Self.lines(marks).map { ($0, 1) }, uniquingKeysWith: +)
        for index in 0..<20 {
            #expect((counts[String(index)] ?? 0) >= 1, "item \(index) never ran")
        }
        for index in finished {
            #expect(counts[String(index)] == 1, "item \(index) was completed before the kill but ran again")
        }
        let output = try #require(try Self.step("each", of: daemon.run(id))["output"] as? [[String: Any]])
        #expect(output.count == 20)
        #expect(
            output.map { ($0["stdout"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) }
                == (0..<20).map { "item-\($0)" }
        )
    }

    @Test func parkedWaitsAndTheirDeadlinesSurviveKill9() throws {
        let daemon = try DaemonProcess(workflows: [
            "approve-short.yaml": "steps: { ask: { type: wait_for_approval, with: { timeout: 3s } } }",
            "approve-long.yaml":
                "steps: { ask: { type: wait_for_approval, with: { timeout: 9s, on_timeout: approve } } }",
            "event-short.yaml":
                "steps: { hear: { type: wait_for_event, with: { event: never.a, timeout: 3s, on_timeout: continue } } }",
            "event-long.yaml": "steps: { hear: { type: wait_for_event, with: { event: never.b, timeout: 9s } } }",
            "approve-open.yaml": "steps: { ask: { type: wait_for_approval, with: { message: still here } } }",
        ])
        defer { daemon.stop() }
        try daemon.start()
        let names = ["approve-short", "approve-long", "event-short", "event-long", "approve-open"]
        var ids: [String: String] = [:]
        for name in names { ids[name] = try Self.start(daemon, name) }
        for name in names {
            try daemon.waitUntil("\(name) to park") { try daemon.run(ids[name]!)["status"] as? String == "waiting" }
        }
        let stepOf = ["approve-short": "ask", "approve-long": "ask", "event-short": "hear", "event-long": "hear"]
        var parkedAt: [String: Date] = [:]
        for (name, step) in stepOf {
            parkedAt[name] = try Self.time(Self.step(step, of: daemon.run(ids[name]!))["started_at"])
        }
        daemon.kill9()
        // Stay down past the short deadlines (3 s) but not the long ones (9 s).
        let shortDeadline = max(parkedAt["approve-short"]!, parkedAt["event-short"]!).addingTimeInterval(3)
        Thread.sleep(until: shortDeadline.addingTimeInterval(1))
        let restartedAt = Date()
        try daemon.start()

        for name in ["approve-long", "event-long", "approve-open"] {
            #expect(try daemon.run(ids[name]!)["status"] as? String == "waiting", "\(name) after restart")
        }
        let open = try #require(try daemon.ctlJSON(["approvals"]) as? [[String: Any]])
        #expect(open.map { $0["run_id"] as? String }.contains(ids["approve-open"]))

        // Deadlines that passed while the daemon was down fire right after the restart.
        try daemon.waitUntil("the short waits to time out") {
            try ["approve-short", "event-short"].allSatisfy {
                try daemon.run(ids[$0]!)["status"] as? String == "completed"
            }
        }
        for name in ["approve-short", "event-short"] {
            let step = try Self.step(stepOf[name]!, of: daemon.run(ids[name]!))
            let ended = try Self.time(step["ended_at"])
            #expect(ended >= restartedAt && ended < restartedAt.addingTimeInterval(5), "\(name) ended at \(ended)")
            #expect((step["output"] as? [String: Any])?["timed_out"] as? Bool == true)
        }
        #expect(
            (try Self.step("ask", of: daemon.run(ids["approve-short"]!))["output"] as? [String: Any])?["approved"]
                as? Bool == false
        )

        // Deadlines still ahead fire at their original time, not a full timeout after the restart.
        try daemon.waitUntil(timeout: 30, "the long waits to time out") {
            try ["approve-long", "event-long"].allSatisfy {
                !(["waiting", "running"].contains(try daemon.run(ids[$0]!)["status"] as? String))
            }
        }
        #expect(try daemon.run(ids["approve-long"]!)["status"] as? String == "completed")
        #expect(
            (try Self.step("ask", of: daemon.run(ids["approve-long"]!))["output"] as? [String: Any])?["approved"]
                as? Bool == true
        )
        let eventLong = try daemon.run(ids["event-long"]!)
        #expect(eventLong["status"] as? String == "failed")
        #expect(
            (try Self.step("hear", of: eventLong)["error"] as? String)?.contains(
                "no event 'never.b' arrived before the timeout"
            ) == true
        )
        for name in ["approve-long", "event-long"] {
            let ended = try Self.time(Self.step(stepOf[name]!, of: daemon.run(ids[name]!))["ended_at"])
            let waited = ended.timeIntervalSince(parkedAt[name]!)
            #expect(waited >= 9 && waited < 12, "\(name) timed out after \(waited)s instead of 9s")
        }

        // The open approval still takes a decision after the restart.
        #expect(daemon.ctl(["approve", ids["approve-open"]!]).status == 0)
        try daemon.waitUntil("the open approval to complete") {
            try daemon.run(ids["approve-open"]!)["status"] as? String == "completed"
        }
    }

    /// Indexes of the run's `for_each` items stored as completed, read from the daemon's database (while it is
    /// down) with Python's sqlite3 module, since nothing in the API lists item results.
    static func completedItems(database: String, runID: String) throws -> Set<Int> {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for (idx,) in db.execute("SELECT idx FROM item_run WHERE run_id = ? AND status = 'completed'", (sys.argv[2],)):
                print(idx)
            """
        let result = CommandResult.run(["python3", "-c", script, database, runID])
        guard result.status == 0 else { throw E2EError("reading item_run failed: \(result.stderr)") }
        return Set(result.stdout.split(separator: "\n").compactMap { Int($0) })
    }
}
