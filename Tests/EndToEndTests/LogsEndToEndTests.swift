import Foundation
import Testing

/// `triggerctl logs RUN` against the real daemon: the stored events of a finished run and of a run parked on an
/// approval (without following), and a clear exit 1 for an unknown run.
@Suite("end to end: triggerctl logs", .serialized)
struct LogsEndToEndTests {
    static let workflows = [
        "two-steps.yaml": """
        name: two-steps
        steps:
          first: { type: transform, with: { value: 1 } }
          second: { type: transform, needs: [first], with: { value: "{{ steps.first.output }}" } }
        """,
        "gated.yaml": """
        name: gated
        steps:
          gate: { type: wait_for_approval, with: { message: "ok?" } }
          after: { type: transform, needs: [gate], with: { value: done } }
        """,
    ]

    /// The `type` of each event `logs RUN --json` prints, checking that `seq` rises.
    static func eventTypes(_ daemon: DaemonProcess, _ run: String) throws -> [String] {
        let result = daemon.ctl(["logs", run, "--json"])
        guard result.status == 0 else { throw E2EError("logs \(run) exited \(result.status): \(result.stderr)") }
        var types: [String] = []
        var lastSeq = 0
        for line in result.stdout.split(separator: "\n") {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let seq = try #require(event["seq"] as? Int)
            #expect(seq > lastSeq, "events out of order: \(result.stdout)")
            #expect(event["run_id"] as? String == run)
            lastSeq = seq
            types.append(try #require(event["type"] as? String))
        }
        return types
    }

    static func runID(_ result: CommandResult) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(
            (object?["run_id"] ?? object?["id"]) as? String,
            "no run id in \(result.stdout) \(result.stderr)"
        )
    }

    @Test func logsPrintsAFinishedRunAParkedRunAndRefusesAnUnknownOne() throws {
        let daemon = try DaemonProcess(workflows: Self.workflows)
        defer { daemon.stop() }
        try daemon.start()

        let finished = try Self.runID(daemon.ctl(["run", "two-steps", "--wait", "--json"]))
        #expect(
            try Self.eventTypes(daemon, finished) == [
                "run.started", "step.started", "step.completed", "step.started", "step.completed", "run.completed",
            ]
        )
        let human = daemon.ctl(["logs", finished])
        #expect(human.status == 0)
        #expect(human.stdout.split(separator: "\n").count == 6, "\(human.stdout)")
        #expect(human.stdout.contains("run.completed"))

        let parked = try Self.runID(daemon.ctl(["run", "gated", "--json"]))
        try daemon.waitUntil("the gated run to wait") { try daemon.run(parked)["status"] as? String == "waiting" }
        // Without -f, logs prints what is stored and returns although the run has not ended.
        let types = try Self.eventTypes(daemon, parked)
        #expect(types.first == "run.started")
        #expect(types.contains("step.waiting"), "\(types)")
        #expect(!types.contains("run.completed"))

        let unknown = daemon.ctl(["logs", "r-does-not-exist"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr == "triggerctl: no run with id 'r-does-not-exist'\n")
    }
}
