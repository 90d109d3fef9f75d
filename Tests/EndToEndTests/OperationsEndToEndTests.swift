import Foundation
import Testing

/// Day-two operations on the real binaries: `triggerctl backup`, retention at start, and `triggerctl test` on a
/// shipped example.
@Suite("end to end: backup, retention, offline test", .serialized)
struct OperationsEndToEndTests {
    static let hello = "name: hello\nsteps:\n  a: { type: transform, with: { value: 42 } }\n"

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Starts `hello` and waits for it; returns the run id.
    static func runHello(_ daemon: DaemonProcess) throws -> String {
        let result = daemon.ctl(["run", "hello", "--wait", "--json"])
        guard result.status == 0,
            let run = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let id = (run["id"] ?? run["run_id"]) as? String
        else { throw E2EError("run hello failed: \(result.stdout) \(result.stderr)") }
        return id
    }

    @Test func backupWritesAConsistentCopyADaemonCanStartFrom() throws {
        let daemon = try DaemonProcess(workflows: ["hello.yaml": Self.hello])
        defer { daemon.stop() }
        try daemon.start()
        let id = try Self.runHello(daemon)

        let file = daemon.directory + "/copy.db"
        let backup = daemon.ctl(["backup", file])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("backup written to \(file) ("), "\(backup.stdout)")
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        #expect(size > 0)
        // Never over an existing file.
        let again = daemon.ctl(["backup", file])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(daemon.terminate() == 0)

        // A second daemon on the copy sees the run.
        let restored = try DaemonProcess(workflows: ["hello.yaml": Self.hello])
        defer { restored.stop() }
        try FileManager.default.createDirectory(atPath: restored.stateDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: restored.stateDir + "/triggerd.db")
        try restored.start()
        let run = try restored.run(id)
        #expect(run["status"] as? String == "completed")
        #expect(run["output"] as? Int == 42)
    }

    @Test func retentionPrunesFinishedRunsWhenTheDaemonStarts() throws {
        let daemon = try DaemonProcess(workflows: ["hello.yaml": Self.hello], config: "retention: { runs: 1s }\n")
        defer { daemon.stop() }
        try daemon.start()
        let old = try Self.runHello(daemon)
        #expect(daemon.terminate() == 0)
        // Let the run age past the 1 s retention (wall clock: this is the real daemon).
        usleep(1_200_000)

        try daemon.start()
        try daemon.waitUntil("the start-up retention pass to remove the old run") {
            daemon.ctl(["show", old]).status == 1
        }
        let missing = daemon.ctl(["show", old])
        #expect(missing.stderr.contains("no run with id '\(old)'"), "\(missing.stderr)")
        #expect(daemon.log.contains("Retention pass removed old records"))
        #expect(daemon.log.contains("retention.runs=1"))
    }

    @Test func triggerctlTestRunsAShippedExampleWithAMock() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ctl-test-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let answer = directory + "/ask.json"
        try #"{"approved": true, "by": ["alice"], "comment": "ship it"}"#.write(
            toFile: answer,
            atomically: true,
            encoding: .utf8
        )
        let example = Self.repositoryRoot + "/etc/workflows/deploy-approval.yaml"
        let ctl = DaemonProcess.binDirectory + "/triggerctl"

        let approved = CommandResult.run(
            [
                ctl, "test", example, "--mock", "ask=@\(answer)", "--input", #"{"version": "2.1.0"}"#, "--clock",
                "2026-01-01T09:00:00Z",
            ])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("mocked: ask"))
        #expect(
            approved.stdout.contains(#"{"exit_code":0,"stderr":"","stdout":"deployed 2.1.0 for alice\n"}"#),
            "\(approved.stdout)"
        )

        // Unmocked, the approval's 1h timeout resolves on the fixed clock: rejected, so the deploy is skipped.
        let timedOut = CommandResult.run([ctl, "test", example, "--clock", "2026-01-01T09:00:00Z", "--json"])
        #expect(timedOut.status == 0, "\(timedOut.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(timedOut.stdout.utf8)) as? [String: Any])
        #expect(
            run["ended_at"] as? String == "2026-01-01T10:00:00.000Z"
                || run["ended_at"] as? String == "2026-01-01T10:00:00Z"
        )
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(steps.first { $0["id"] as? String == "deploy" }?["status"] as? String == "skipped")

        let failed = CommandResult.run([ctl, "test", example, "--fail", "plan=cannot plan"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("run failed: step 'plan' failed: cannot plan"), "\(failed.stderr)")
    }
}
