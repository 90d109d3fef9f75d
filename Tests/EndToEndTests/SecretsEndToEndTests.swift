import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §4 secrets on the real daemon: a value a step echoes back never reaches run records, the event stream
/// or the log; a secrets file others can read is refused; `--check-config` reports configuration mistakes.
@Suite("end to end: secrets and configuration", .serialized)
struct SecretsEndToEndTests {
    static let secret = "tok-7f3a9c2e-SUPERSECRET"

    @Test func aSecretEchoedByAStepNeverAppearsInShowTheEventStreamOrTheLog() throws {
        let workflow = """
            name: leaky
            steps:
              echo:
                type: command
                with: { argv: ["/bin/sh", "-c", "echo token={{ secrets.API_TOKEN }}; echo err={{ secrets.API_TOKEN }} >&2"] }
              copy:
                type: transform
                needs: [echo]
                with: { value: "{{ steps.echo.output.stdout }}|{{ secrets.API_TOKEN }}" }
              fail:
                type: command
                needs: [copy]
                with: { argv: ["/bin/sh", "-c", "echo failing with {{ secrets.API_TOKEN }} >&2; exit 3"] }
            """
        let daemon = try DaemonProcess(
            workflows: ["leaky.yaml": workflow],
            secrets: ["API_TOKEN": Self.secret],
            extraArguments: ["--log-level", "debug"]
        )
        defer { daemon.stop() }
        try daemon.start()

        let run = daemon.ctl(["run", "leaky", "--wait", "--json"])
        #expect(run.status == 1, "the run should fail at its last step: \(run.stderr)")
        let id = try #require(
            (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["id"] as? String
                ?? (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["run_id"]
                as? String,
            "no run id in: \(run.stdout)"
        )

        let show = daemon.ctl(["show", id, "--json"])
        #expect(show.status == 0)
        #expect(!show.stdout.contains(Self.secret), "show --json leaks the secret")
        #expect(show.stdout.contains("token=***"), "the echoed value is not masked: \(show.stdout)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let steps = try #require(shown["steps"] as? [[String: Any]])
        #expect(steps.first { $0["id"] as? String == "copy" }?["output"] as? String == "token=***\n|***")

        // -f reads the live event stream (SSE): the stored events replayed, until the run's end.
        let events = daemon.ctl(["logs", id, "-f", "--json"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("step.completed"), "no events: \(events.stdout)")
        #expect(!events.stdout.contains(Self.secret), "the event stream leaks the secret")
        #expect(events.stdout.contains("***"))

        for read in [["runs", "--json"], ["status", "--json"], ["show", id]] {
            #expect(!daemon.ctl(read).stdout.contains(Self.secret), "\(read) leaks the secret")
        }
        #expect(daemon.terminate() == 0)
        #expect(daemon.log.contains("Step failed"), "the step failure is not logged: \(daemon.log)")
        #expect(daemon.log.contains("run.id=\(id)"))
        #expect(!daemon.log.contains(Self.secret), "the daemon log leaks the secret")
    }

    @Test func aSecretsFileOthersCanReadIsRefusedWithTheFix() throws {
        let daemon = try DaemonProcess(workflows: [:], secrets: ["API_TOKEN": Self.secret])
        defer { daemon.stop() }
        let path = daemon.directory + "/secrets.env"
        chmod(path, 0o644)
        let result = CommandResult.run(
            [
                DaemonProcess.binDirectory + "/triggerd", "--workflows", daemon.workflows, "--state-dir",
                daemon.stateDir,
                "--socket", daemon.socket, "--listen", "127.0.0.1:\(daemon.port)", "--secrets", path,
            ],
            timeout: 30
        )
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "triggerd: secrets file \(path) is readable by group or others (mode 644); run: chmod 600 \(path)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "the daemon must not start")
    }

    @Test func checkConfigPrintsTheDiagnosticAndExits1() throws {
        let daemon = try DaemonProcess(workflows: ["ok.yaml": "steps:\n  a: { type: transform, with: { value: 1 } }\n"])
        defer { daemon.stop() }
        let bad = daemon.directory + "/bad.yaml"
        try "listen: 127.0.0.1:8780\nlog: { format: xml }\nretention: { runs: 30 days }\n".write(
            toFile: bad,
            atomically: true,
            encoding: .utf8
        )
        let refused = CommandResult.run(
            [
                DaemonProcess.binDirectory + "/triggerd", "--config", bad, "--workflows", daemon.workflows,
                "--check-config",
            ])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("\(bad):2:16: error: 'log.format' must be text or json, not 'xml'"),
            "\(refused.stderr)"
        )
        #expect(refused.stderr.contains("\(bad):3:20: error:"), "\(refused.stderr)")

        let good = daemon.directory + "/good.yaml"
        try "log: { format: json }\nretention: { runs: 30d }\n".write(toFile: good, atomically: true, encoding: .utf8)
        let accepted = CommandResult.run(
            [
                DaemonProcess.binDirectory + "/triggerd", "--config", good, "--workflows", daemon.workflows,
                "--check-config",
            ])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout == "configuration ok: 1 workflows in \(daemon.workflows)\n")
    }
}
