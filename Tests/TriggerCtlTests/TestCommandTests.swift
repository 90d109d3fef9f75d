import Foundation
import Testing

@testable import Engine
@testable import TriggerCtl

/// `triggerctl test FILE`: offline runs with mocks and a fixed clock, no daemon.
@Suite struct TestCommandTests {
    /// A temporary directory holding `files` (name → contents), removed by the caller.
    static func directory(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "ctl-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    static let fetchAndWait = """
        name: fetch-and-wait
        triggers:
          - webhook: { path: /hooks/fetch }
        steps:
          fetch:
            type: http_request
            with: { url: "http://192.0.2.1/never-called", method: GET }
          pause:
            type: delay
            needs: [fetch]
            with: { duration: 2h }
          report:
            type: transform
            needs: [pause]
            with: { value: "{{ steps.fetch.output.body.state }} for {{ trigger.body.who }}" }
        """

    @Test func mockedStepsAnswerFromFilesAndDelaysResolveOnTheFixedClock() async throws {
        let dir = try Self.directory([
            "wf.yaml": Self.fetchAndWait, "fetch.json": #"{"status": 200, "body": {"state": "green"}}"#,
            "trigger.json": #"{"body": {"who": "ops"}}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = await triggerctl(
            [
                "test", "wf.yaml", "--mock", "fetch=@fetch.json", "--trigger", "@trigger.json", "--clock",
                "2026-01-01T09:00:00Z",
            ],
            workingDirectory: dir
        )

        #expect(outcome.code == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("test fetch-and-wait from wf.yaml, mocked: fetch, clock moved 1 time\n"))
        #expect(outcome.stdout.contains("trigger   webhook\n"))  // the type comes from the workflow's trigger
        #expect(outcome.stdout.contains("ended     2026-01-01T11:00:00Z\n"))
        #expect(outcome.stdout.contains("report  \"green for ops\"\n"))
        #expect(outcome.stdout.contains("└─ ✓ fetch"))
        #expect(outcome.stderr == "")
    }

    @Test func jsonPrintsTheWholeRunAsShowDoes() async throws {
        let dir = try Self.directory(["wf.yaml": Self.fetchAndWait])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = await triggerctl(
            [
                "test", "wf.yaml", "--mock", #"fetch={"body": {"state": "red"}}"#, "--clock", "2026-01-01T09:00:00Z",
                "--json",
            ],
            workingDirectory: dir
        )

        #expect(outcome.code == 0)
        let run = try JSONValue.parse(outcome.stdout)
        #expect(run["status"] == "completed")
        #expect(run["output"] == "red for ")
        #expect(run["ended_at"] == "2026-01-01T11:00:00.000Z" || run["ended_at"] == "2026-01-01T11:00:00Z")
        #expect(run["steps"]?.arrayValue?.map { $0["id"] ?? .null } == ["fetch", "pause", "report"])
    }

    @Test func aFailedRunExits1AndSaysWhy() async throws {
        let dir = try Self.directory(["wf.yaml": Self.fetchAndWait])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = await triggerctl(
            ["test", "wf.yaml", "--fail", "fetch=connection refused"],
            workingDirectory: dir
        )

        #expect(outcome.code == 1)
        #expect(outcome.stdout.contains("status    ✗ failed\n"))
        #expect(outcome.stderr == "triggerctl: run failed: step 'fetch' failed: connection refused\n")
    }

    @Test func aWaitNothingOfflineCanEndIsReportedNotHungOn() async throws {
        let dir = try Self.directory([
            "wf.yaml": """
            steps:
              ask: { type: wait_for_approval, with: { message: "ship?" } }
              ship: { type: transform, needs: [ask], with: { value: "{{ steps.ask.output.approved }}" } }
            """
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stuck = await triggerctl(["test", "wf.yaml"], workingDirectory: dir)
        #expect(stuck.code == 1)
        #expect(
            stuck.stderr
                == "triggerctl: the run is waiting on step 'ask' (wait_for_approval) and nothing offline can end the wait; "
                + "mock it with --mock STEP=@FILE\n"
        )

        let mocked = await triggerctl(["test", "wf.yaml", "--mock", #"ask={"approved": true}"#], workingDirectory: dir)
        #expect(mocked.code == 0)
        #expect(mocked.stdout.contains("  ship   true\n"))
    }

    @Test func mockingAStepTheWorkflowDoesNotHaveIsAUsageError() async throws {
        let dir = try Self.directory(["wf.yaml": Self.fetchAndWait])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let typo = await triggerctl(["test", "wf.yaml", "--mock", "fetsh=1"], workingDirectory: dir)
        #expect(typo.code == 2)
        #expect(typo.stderr == "triggerctl: --mock: the workflow has no step 'fetsh' (did you mean 'fetch'?)\n")

        let missing = await triggerctl(["test", "wf.yaml", "--mock", "fetch=@nope.json"], workingDirectory: dir)
        #expect(missing.code == 2)
        #expect(missing.stderr == "triggerctl: --mock fetch: file 'nope.json' does not exist\n")

        let badClock = await triggerctl(["test", "wf.yaml", "--clock", "noon"], workingDirectory: dir)
        #expect(badClock.code == 2)
    }

    @Test func aFileThatCannotBeReadIsAUsageErrorNamingIt() async throws {
        let dir = try Self.directory(["wf.yaml": Self.fetchAndWait])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = await triggerctl(["test", "MISSING.yaml"], workingDirectory: dir)
        #expect(missing.code == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr == "triggerctl: cannot read the workflow file 'MISSING.yaml': no such file\n")

        let directory = await triggerctl(["test", "."], workingDirectory: dir)
        #expect(directory.code == 2)
        #expect(directory.stderr == "triggerctl: cannot read the workflow file '.': it is a directory\n")

        let secrets = await triggerctl(["test", "wf.yaml", "--secrets", "nope.env"], workingDirectory: dir)
        #expect(secrets.code == 2)
        #expect(secrets.stderr == "triggerctl: cannot read the --secrets file 'nope.env': no such file\n")
    }

    @Test func aFileThatDoesNotLoadPrintsItsDiagnostics() async throws {
        let dir = try Self.directory(["bad.yaml": "steps:\n  a: { type: transfrom }\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = await triggerctl(["test", "bad.yaml"], workingDirectory: dir)
        #expect(outcome.code == 1)
        #expect(outcome.stderr.hasPrefix("bad.yaml:2:"))
        #expect(outcome.stderr.hasSuffix("triggerctl: bad.yaml does not load (1 error(s))\n"))
    }
}
