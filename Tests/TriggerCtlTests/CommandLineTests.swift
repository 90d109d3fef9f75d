import Engine
import Foundation
import Testing

@testable import TriggerCtl

/// Exit codes, socket selection and error messages shared by every command (SPEC §9).
@Suite struct CommandLineTests {
    @Test func noCommandIsBadUsage() async {
        let outcome = await triggerctl([])
        #expect(outcome.code == 2)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr.hasPrefix("Error: Missing command.\nUsage: triggerctl <subcommand>\n"))
    }

    @Test func unknownOptionsAndBadValuesExit2NotArgumentParsers64() async {
        #expect(await triggerctl(["status", "--bogus"]).code == 2)
        #expect(await triggerctl(["frobnicate"]).code == 2)
        let badStatus = await triggerctl(["runs", "--status", "done"])
        #expect(badStatus.code == 2)
        #expect(
            badStatus.stderr.hasPrefix(
                "Error: unknown status 'done'; expected one of: "
                    + "pending, running, waiting, completed, failed, cancelled\n"
            )
        )
        #expect(await triggerctl(["runs", "--limit", "0"]).code == 2)
        #expect(await triggerctl(["show"]).code == 2)
    }

    @Test func helpIsAnAnswerOnStdout() async {
        let outcome = await triggerctl(["show", "--help"])
        #expect(outcome.code == 0)
        #expect(outcome.stdout.contains("USAGE: triggerctl show <run> [--socket <path>] [--json]"))
        #expect(outcome.stderr == "")
    }

    @Test func anUnreachableDaemonExits3NamingTheSocket() async {
        let daemon = FakeDaemon(socketPath: "/run/triggerd/control.sock", unreachableReason: "no such socket")
        let outcome = await triggerctl(["status"], daemon: daemon)
        #expect(outcome.code == 3)
        #expect(outcome.stdout == "")
        #expect(
            outcome.stderr
                == "triggerctl: cannot reach triggerd at /run/triggerd/control.sock: no such socket "
                + "(is the daemon running? set --socket or TRIGGERD_SOCKET)\n"
        )
    }

    @Test func theSocketComesFromTheFlagThenTheEnvironmentThenTheDefault() async {
        let status = reply(["version": "1.0"])
        let daemon = FakeDaemon(answers: ["GET /v1/status": status])
        #expect(await triggerctl(["status"], daemon: daemon).sockets == ["/run/triggerd/control.sock"])
        #expect(
            await triggerctl(["status"], daemon: daemon, environment: ["TRIGGERD_SOCKET": "/tmp/t.sock"]).sockets == [
                "/tmp/t.sock"
            ]
        )
        #expect(
            await triggerctl(
                ["status", "--socket", "/x.sock"],
                daemon: daemon,
                environment: ["TRIGGERD_SOCKET": "/tmp/t.sock"]
            ).sockets
                == ["/x.sock"]
        )
        #expect(
            await triggerctl(["status"], daemon: daemon, environment: ["TRIGGERD_SOCKET": ""]).sockets == [
                "/run/triggerd/control.sock"
            ]
        )
    }

    @Test func aDaemonErrorExits1WithItsMessage() async {
        let daemon = FakeDaemon(answers: ["GET /v1/runs/nope": errorReply(404, "not_found", "no run with id 'nope'")])
        let outcome = await triggerctl(["show", "nope"], daemon: daemon)
        #expect(
            outcome
                == Outcome(
                    code: 1,
                    stdout: "",
                    stderr: "triggerctl: no run with id 'nope'\n",
                    sockets: ["/run/triggerd/control.sock"]
                )
        )
    }

    @Test func jsonPrintsTheAnswerPrettyWithSortedKeys() async {
        let daemon = FakeDaemon(answers: ["POST /v1/runs/r1/retry": reply(["run_id": "r2", "from": "r1"])])
        let outcome = await triggerctl(["retry", "r1", "--json"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(outcome.stdout == "{\n  \"from\": \"r1\",\n  \"run_id\": \"r2\"\n}\n")
    }

    @Test func colourOnlyOnATerminalWithoutNoColor() {
        func palette(tty: Bool, env: [String: String]) -> Palette {
            CtlContext(
                environment: env,
                stdoutIsTerminal: tty,
                console: CapturedConsole(),
                connect: { _ in FakeDaemon() },
                now: { .init() },
                workingDirectory: "/",
                readStandardInput: { [] }
            ).palette
        }
        #expect(palette(tty: true, env: [:]).enabled)
        #expect(!palette(tty: false, env: [:]).enabled)
        #expect(!palette(tty: true, env: ["NO_COLOR": "1"]).enabled)
        #expect(palette(tty: true, env: ["NO_COLOR": ""]).enabled)
    }
}
