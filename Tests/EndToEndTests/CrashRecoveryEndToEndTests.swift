import Foundation
import Testing

/// SPEC §7 end to end: the real daemon, a branching workflow, SIGKILL during a durable delay, restart, and the
/// run finishes without any step that completed before the kill running again.
@Suite("end to end: crash recovery", .serialized)
struct CrashRecoveryEndToEndTests {
    @Test func branchingRunSurvivesKillDuringDelay() throws {
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("marks-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: marks) }
        let workflow = """
            name: crashy
            inputs: { n: { type: number, default: 20 } }
            steps:
              start:
                type: command
                with: { argv: ["/bin/sh", "-c", "echo start >> \(marks)"] }
              check:
                type: condition
                needs: [start]
                with: { expression: "{{ input.n > 10 }}" }
                then: [big]
                else: [small]
              big:
                type: command
                with: { argv: ["/bin/sh", "-c", "echo big >> \(marks)"] }
              small:
                type: command
                with: { argv: ["/bin/sh", "-c", "echo small >> \(marks)"] }
              side:
                type: command
                needs: [start]
                with: { argv: ["/bin/sh", "-c", "echo side >> \(marks)"] }
              pause:
                type: delay
                needs: [big, side]
                with: { duration: 3s }
              finish:
                type: command
                needs: [pause]
                with: { argv: ["/bin/sh", "-c", "echo finish >> \(marks)"] }
            """
        let daemon = try DaemonProcess(workflows: ["crashy.yaml": workflow])
        defer { daemon.stop() }
        try daemon.start()
        let started = daemon.ctl(["run", "crashy", "--json"])
        #expect(started.status == 0, "\(started.stderr)")
        let runID = try #require(try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any])["run_id"] as? String
        let id = try #require(runID)
        try daemon.waitUntil("the run to park on its delay") { try daemon.run(id)["status"] as? String == "waiting" }

        daemon.kill9()
        try daemon.start()

        try daemon.waitUntil(timeout: 30, "the run to complete after restart") { try daemon.run(id)["status"] as? String == "completed" }
        let run = try daemon.run(id)
        let steps = try #require(run["steps"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: steps.map { ($0["id"] as! String, $0) })
        #expect(byID["small"]?["status"] as? String == "skipped")
        for step in ["start", "check", "big", "side", "pause", "finish"] {
            #expect(byID[step]?["status"] as? String == "completed", "step \(step)")
            #expect(byID[step]?["attempts"] as? Int == 1, "step \(step) ran more than once")
        }
        let lines = try String(contentsOfFile: marks, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.sorted() == ["big", "finish", "side", "start"])
    }

    @Test func secondDaemonOnTheSameStateRefusesWithTheHolder() throws {
        let daemon = try DaemonProcess(workflows: ["a.yaml": "steps: { a: { type: transform, with: { value: 1 } } }"])
        defer { daemon.stop() }
        try daemon.start()
        let second = CommandResult.run([
            DaemonProcess.binDirectory + "/triggerd", "--workflows", daemon.workflows, "--state-dir", daemon.stateDir,
            "--socket", daemon.directory + "/other.sock", "--listen", "127.0.0.1:\(try DaemonProcess.freePort())",
        ])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another triggerd (pid \(daemon.process!.processIdentifier)) holds"))
        #expect(!second.stderr.contains("Fatal error"))
        // The first daemon still answers on its socket.
        #expect(daemon.ctl(["status"]).status == 0)
    }

    @Test func startupProblemsEndWithOneClearLine() throws {
        let daemon = try DaemonProcess(workflows: [:])
        defer { daemon.stop() }
        let bin = DaemonProcess.binDirectory + "/triggerd"
        let missing = CommandResult.run([bin, "--workflows", daemon.directory + "/nope", "--state-dir", daemon.stateDir, "--socket", daemon.socket, "--listen", "127.0.0.1:\(daemon.port)"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "triggerd: workflows directory \(daemon.directory)/nope does not exist (create it or pass --workflows DIR)\n")

        // Occupy the port, then ask triggerd to listen on it.
        let holder = try DaemonProcess(workflows: [:])
        defer { holder.stop() }
        try holder.start()
        let busy = CommandResult.run([bin, "--workflows", daemon.workflows, "--state-dir", daemon.stateDir, "--socket", daemon.socket, "--listen", "127.0.0.1:\(holder.port)"])
        #expect(busy.status == 1)
        #expect(busy.stderr == "triggerd: cannot listen on 127.0.0.1:\(holder.port): address already in use\n")

        let usage = CommandResult.run([bin, "--log-format", "xml"])
        #expect(usage.status == 2)
    }

    @Test func sigtermExitsZero() throws {
        let daemon = try DaemonProcess(workflows: ["a.yaml": "steps: { a: { type: transform, with: { value: 1 } } }"])
        defer { daemon.stop() }
        try daemon.start()
        #expect(daemon.ctl(["run", "a", "--wait"]).status == 0)
        #expect(daemon.terminate() == 0)
    }
}
