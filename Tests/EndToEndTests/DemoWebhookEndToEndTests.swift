import Foundation
import Testing

/// The webhook walk-through of `make run`: the example workflows from etc/ on a real daemon, the secrets file
/// `make run` writes, and the `DEMO_WEBHOOK` line of the Makefile run as printed. The delivery must be verified,
/// stored and its run completed.
@Suite("end to end: the make run webhook example", .serialized)
struct DemoWebhookEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `DEMO_WEBHOOK = ...` command of the Makefile with make's variables filled in for `daemon`.
    static func demoCommand(for daemon: DaemonProcess) throws -> String {
        let makefile = try String(contentsOfFile: Self.root + "/Makefile", encoding: .utf8)
        let line = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("DEMO_WEBHOOK = ") })
        return String(line.dropFirst("DEMO_WEBHOOK = ".count))
            .replacingOccurrences(of: "$$BIN", with: DaemonProcess.binDirectory)
            .replacingOccurrences(of: "$(LISTEN)", with: "127.0.0.1:\(daemon.port)")
            .replacingOccurrences(of: "$(STATE)", with: daemon.directory)
    }

    /// Every example workflow in etc/workflows, as `make run` serves them.
    static func examples() throws -> [String: String] {
        let directory = Self.root + "/etc/workflows"
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".yaml") {
            files[name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        return files
    }

    @Test func theMakeRunLineSendsASignedPushWhoseRunCompletes() throws {
        let makefile = try String(contentsOfFile: Self.root + "/Makefile", encoding: .utf8)
        // The secret `make run` writes into .triggerd/secrets.env.
        let secret = try #require(
            makefile.range(of: #"DEMO_WEBHOOK_SECRET=([^\\']+)"#, options: .regularExpression).map {
                String(makefile[$0].dropFirst("DEMO_WEBHOOK_SECRET=".count))
            }
        )
        let daemon = try DaemonProcess(
            workflows: try Self.examples(),
            config: try String(contentsOfFile: Self.root + "/etc/triggerd.yaml", encoding: .utf8),
            secrets: ["DEMO_WEBHOOK_SECRET": secret]
        )
        defer { daemon.stop() }
        try daemon.start()
        let status = try #require(try daemon.ctlJSON(["status"]) as? [String: Any])
        #expect((status["load_errors"] as? [Any])?.isEmpty == true, "\(status)")

        let command = try Self.demoCommand(for: daemon)
        let sent = CommandResult.run(["/bin/sh", "-c", "cd '\(Self.root)' && \(command)"])
        #expect(sent.status == 0, "\(command)\n\(sent.stdout)\n\(sent.stderr)")
        let answerLine = try #require(
            sent.stdout.split(separator: "\n").first { $0.hasPrefix("HTTP 202 ") },
            "\(sent.stdout)"
        )
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(answerLine.dropFirst("HTTP 202 ".count).utf8)) as? [String: Any]
        )
        let runID = try #require(answer["run_id"] as? String)
        // --wait showed the run as `show` does: its graph with both steps done.
        #expect(sent.stdout.contains("completed"), "\(sent.stdout)")
        #expect(sent.stdout.contains("announce"), "\(sent.stdout)")

        let run = try daemon.run(runID)
        #expect(run["status"] as? String == "completed")
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(
            steps.first { $0["id"] as? String == "announce" }?["output"] as? String
                == "octocat pushed 2 commit(s) to example/triggerd-demo@main: Sign deliveries with triggerctl webhook send"
        )
        let deliveries = try #require(try daemon.ctlJSON(["deliveries"]) as? [[String: Any]])
        #expect(deliveries.count == 1)
        #expect(deliveries.first?["run_id"] as? String == runID)
        #expect(deliveries.first?["run_status"] as? String == "completed")

        // The same line with another secret is refused and stores nothing.
        let wrong = command.replacingOccurrences(
            of: "--secrets \(daemon.directory)/secrets.env --secret DEMO_WEBHOOK_SECRET",
            with: "--secret not-the-secret"
        )
        #expect(wrong != command)
        let refused = CommandResult.run(["/bin/sh", "-c", "cd '\(Self.root)' && \(wrong)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("triggerctl: the listener answered HTTP 401"), "\(refused.stderr)")
        #expect((try daemon.ctlJSON(["deliveries"]) as? [Any])?.count == 1)
    }
}
