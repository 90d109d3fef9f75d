import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Rotating a webhook secret without a restart: `triggerctl reload` and SIGHUP re-read the secrets file, all or
/// nothing; a broken file keeps the previous values and `status` says why.
@Suite("end to end: secrets reload", .serialized)
struct SecretsReloadEndToEndTests {
    static let rotating = """
        name: rotating
        triggers:
          - webhook:
              path: /hooks/rotating
              verify: { scheme: github, secrets: ["{{ secrets.HOOK_SECRET }}", "{{ secrets.HOOK_SECRET_PREVIOUS }}"] }
        steps:
          echo: { type: transform, with: { value: "{{ trigger.body.n }}" } }
        """
    /// Refused at start: its secret is not in the file yet.
    static let later = """
        name: later
        triggers:
          - webhook: { path: /hooks/later, verify: { scheme: bearer, secret: "{{ secrets.LATER_TOKEN }}" } }
        steps:
          echo: { type: transform, with: { value: 1 } }
        """

    /// Replaces the secrets file (mode 0600 unless `mode` says otherwise).
    static func writeSecrets(_ daemon: DaemonProcess, _ text: String, mode: mode_t = 0o600) throws {
        let path = daemon.directory + "/secrets.env"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
    }

    /// `triggerctl webhook send` of a GitHub-signed body to `path`.
    static func send(
        _ daemon: DaemonProcess,
        _ path: String = "/hooks/rotating",
        scheme: String = "github",
        secret: String
    ) -> CommandResult {
        daemon.ctl([
            "webhook", "send", "http://127.0.0.1:\(daemon.port)\(path)", "--scheme", scheme, "--secret", secret,
            "--body", #"{"n": 1}"#,
        ])
    }

    static func secretsError(_ daemon: DaemonProcess) throws -> String? {
        let status = try #require(try daemon.ctlJSON(["status"]) as? [String: Any])
        return status["secrets_error"] as? String
    }

    @Test func aRotatedSecretIsAcceptedAfterReloadAndABrokenFileKeepsThePreviousOnes() throws {
        let daemon = try DaemonProcess(
            workflows: ["rotating.yaml": Self.rotating, "later.yaml": Self.later],
            secrets: ["HOOK_SECRET": "old-secret-1", "HOOK_SECRET_PREVIOUS": "old-secret-1"]
        )
        defer { daemon.stop() }
        try daemon.start()
        let pid = try #require(daemon.process?.processIdentifier)
        #expect(Self.send(daemon, secret: "old-secret-1").status == 0)
        let started = try #require(try daemon.ctlJSON(["status"]) as? [String: Any])
        #expect((started["load_errors"] as? [[String: Any]])?.first?["file"] as? String == "later.yaml")

        // Rotation: the new secret first, the old one still listed. Nothing changes until a reload.
        try Self.writeSecrets(
            daemon,
            "HOOK_SECRET=new-secret-2\nHOOK_SECRET_PREVIOUS=old-secret-1\nLATER_TOKEN=tok-later-3\n"
        )
        let early = Self.send(daemon, secret: "new-secret-2")
        #expect(early.status == 1)
        #expect(early.stderr.hasPrefix("triggerctl: the listener answered HTTP 401"), "\(early.stderr)")
        let reload = daemon.ctl(["reload"])
        #expect(reload.status == 0, "\(reload.stdout) \(reload.stderr)")
        let accepted = Self.send(daemon, secret: "new-secret-2")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(Self.send(daemon, secret: "old-secret-1").status == 0, "the old secret is still listed")
        // A workflow refused for an unknown secret loads once the secret exists.
        let reloaded = try #require(try daemon.ctlJSON(["status"]) as? [String: Any])
        #expect((reloaded["load_errors"] as? [Any])?.isEmpty == true, "\(reloaded)")
        #expect(Self.send(daemon, "/hooks/later", scheme: "bearer", secret: "tok-later-3").status == 0)
        #expect(daemon.log.contains("secrets reloaded"))

        // SIGHUP: the old secret leaves the list and is refused from then on.
        try Self.writeSecrets(
            daemon,
            "HOOK_SECRET=new-secret-2\nHOOK_SECRET_PREVIOUS=new-secret-2\nLATER_TOKEN=tok-later-3\n"
        )
        kill(pid, SIGHUP)
        try daemon.waitUntil("SIGHUP to drop the old secret") { Self.send(daemon, secret: "old-secret-1").status == 1 }
        #expect(Self.send(daemon, secret: "new-secret-2").status == 0)

        // A secrets file others can read is refused on reload: the previous values stay, and status says why.
        try Self.writeSecrets(
            daemon,
            "HOOK_SECRET=leaked-4\nHOOK_SECRET_PREVIOUS=leaked-4\nLATER_TOKEN=x\n",
            mode: 0o644
        )
        let refused = daemon.ctl(["reload"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "secrets not reloaded: secrets file \(daemon.directory)/secrets.env is readable by group or others"
            ),
            "\(refused.stderr)"
        )
        #expect(try Self.secretsError(daemon)?.contains("is readable by group or others (mode 644)") == true)
        let shown = daemon.ctl(["status"])
        #expect(shown.stdout.contains("secrets not reloaded"), "\(shown.stdout)")
        #expect(shown.stdout.contains("(the previous secrets stay in use)"))
        #expect(Self.send(daemon, secret: "new-secret-2").status == 0, "the previous secret must stay in use")
        #expect(Self.send(daemon, secret: "leaked-4").status == 1)
        #expect(daemon.log.contains("secrets not reloaded"))

        // A malformed file is refused the same way, naming the line.
        try Self.writeSecrets(daemon, "HOOK_SECRET=broken-5\nthis line has no equals sign\n")
        #expect(daemon.ctl(["reload"]).status == 1)
        #expect(try Self.secretsError(daemon)?.contains("secrets.env:2: expected NAME=value") == true)
        #expect(Self.send(daemon, secret: "new-secret-2").status == 0)

        // Fixed: the next reload clears the problem.
        try Self.writeSecrets(
            daemon,
            "HOOK_SECRET=new-secret-2\nHOOK_SECRET_PREVIOUS=new-secret-2\nLATER_TOKEN=tok-later-3\n"
        )
        #expect(daemon.ctl(["reload"]).status == 0)
        #expect(try Self.secretsError(daemon) == nil)
        #expect(daemon.process?.processIdentifier == pid, "no restart")
        #expect(daemon.process?.isRunning == true)
    }
}
