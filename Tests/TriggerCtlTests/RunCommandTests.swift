import Engine
import Foundation
import Testing

@testable import TriggerCtl

/// `run`, `runs`, `show`, `logs`, `cancel`, `retry` against a fake daemon.
@Suite struct RunCommandTests {
    static let failedRun: JSONValue = [
        "id": "r1", "workflow": "deploy", "version": "abc123", "status": "failed",
        "trigger": ["type": "cron", "scheduled_at": "2026-11-26T09:00:00.000Z"], "input": [:],
        "created_at": "2026-11-26T09:00:00.000Z", "started_at": "2026-11-26T09:00:00.100Z",
        "ended_at": "2026-11-26T09:00:12.400Z", "error": "step 'deploy' failed",
        "steps": [
            step("fetch", "http_request", "completed", 1, "09:00:00.100", "09:00:00.500", []),
            step("build", "command", "completed", 1, "09:00:00.500", "09:00:08.600", ["fetch"]),
            step("lint", "command", "completed", 1, "09:00:00.500", "09:00:01.500", ["fetch"]),
            step(
                "deploy",
                "command",
                "failed",
                3,
                "09:00:08.600",
                "09:00:12.400",
                ["build", "lint"],
                error: "exit status 1"
            ),
            step("notify", "send_email", "skipped", 0, nil, nil, ["deploy"]),
        ],
        "decisions": [
            [
                "user": "alice", "uid": 1000, "approved": true, "comment": "ship it", "at": "2026-11-26T09:00:05Z",
                "step": "gate",
            ]
        ],
    ]

    static func step(
        _ id: String,
        _ type: String,
        _ status: String,
        _ attempts: Int,
        _ start: String?,
        _ end: String?,
        _ needs: [JSONValue],
        error: String? = nil
    ) -> JSONValue {
        [
            "id": .string(id), "type": .string(type), "status": .string(status), "attempts": .number(Double(attempts)),
            "started_at": start.map { .string("2026-11-26T\($0)Z") } ?? .null,
            "ended_at": end.map { .string("2026-11-26T\($0)Z") } ?? .null,
            "output": .null, "error": error.map { .string($0) } ?? .null, "needs": .array(needs),
        ]
    }

    /// A webhook run's body is the payload (a text body spans lines): the `trigger` line names the delivery only.
    @Test func showLeavesTheWebhookPayloadToJSON() {
        let trigger: JSONValue = [
            "type": "webhook", "path": "/hooks/github-push", "method": "POST", "delivery_id": "d1",
            "raw_body": "{\n  \"ref\": \"refs/heads/main\"\n}", "body": "line one\nline two",
            "headers": ["x-github-event": "push"],
        ]
        #expect(RunView.trigger(trigger) == "webhook delivery_id=d1 method=POST path=/hooks/github-push")
    }

    @Test func showDrawsTheGraphThenErrorsAndDecisions() async {
        let daemon = FakeDaemon(answers: ["GET /v1/runs/r1": reply(Self.failedRun)])
        let outcome = await triggerctl(["show", "r1"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(outcome.stderr == "")
        #expect(
            outcome.stdout == """
                run       r1
                workflow  deploy (version abc123)
                status    ✗ failed
                trigger   cron scheduled_at=2026-11-26T09:00:00Z
                created   2026-11-26T09:00:00Z
                started   2026-11-26T09:00:00Z
                ended     2026-11-26T09:00:12Z
                duration  12s

                steps
                └─ ✓ fetch            http_request  completed  1 attempt   400ms
                   ├─ ✓ build         command       completed  1 attempt   8.1s
                   └─ ✓ lint          command       completed  1 attempt   1.0s
                      └─ ✗ deploy     command       failed     3 attempts  3.8s   (also needs build)
                         └─ – notify  send_email    skipped

                errors
                  run     step 'deploy' failed
                  deploy  exit status 1

                decisions
                  ✓ approved  gate  by alice (uid 1000)  2026-11-26T09:00:05Z  "ship it"

                """
        )
    }

    @Test func aRunningStepShowsItsDurationSoFar() {
        let run: JSONValue = [
            "id": "r9", "workflow": "w", "status": "running", "started_at": "2026-11-26T08:59:30Z",
            "steps": [Self.step("wait", "delay", "running", 1, "08:59:50", nil, [])],
        ]
        let text = RunView.render(run, palette: .plain, now: .init(timeIntervalSince1970: 1_795_683_600))
        #expect(text.contains("duration  30s so far\n"))
        #expect(text.contains("└─ ● wait  delay  running  1 attempt  10s…\n"))
        #expect(!text.contains("errors"))
    }

    @Test func aStepCutShortByItsRunSaysSoInTheErrors() {
        let run: JSONValue = [
            "id": "r8", "workflow": "w", "status": "failed", "started_at": "2026-11-26T08:59:50Z",
            "ended_at": "2026-11-26T08:59:51Z", "error": "step 'b' failed: exit status 1",
            "steps": [
                Self.step("a", "command", "failed", 1, "08:59:50", "08:59:51", [], error: "cancelled after 1.0s: step 'b' failed"),
                Self.step("b", "command", "failed", 1, "08:59:50", "08:59:51", [], error: "exit status 1"),
            ],
        ]
        let text = RunView.render(run, palette: .plain, now: .init(timeIntervalSince1970: 1_795_683_600))
        #expect(text.contains("  a    cancelled after 1.0s: step 'b' failed\n"))
        #expect(text.contains("  b    exit status 1\n"))
    }

    @Test func runsListsATableAndSendsTheFilters() async {
        var listed = Self.failedRun.objectValue ?? [:]
        listed["steps"] = nil
        let daemon = FakeDaemon(answers: ["GET /v1/runs?workflow=deploy&limit=10": reply([.object(listed)])])
        let outcome = await triggerctl(["runs", "--workflow", "deploy", "--limit", "10"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                ID  WORKFLOW  STATUS    TRIGGER  CREATED               DURATION
                r1  deploy    ✗ failed  cron     2026-11-26T09:00:00Z  12s

                """
        )
        let empty = FakeDaemon(answers: ["GET /v1/runs": reply([])])
        #expect(await triggerctl(["runs"], daemon: empty).stdout == "no runs\n")
    }

    @Test func aFullPageOfRunsEndsWithTheCommandForTheNextPage() async {
        var listed = Self.failedRun.objectValue ?? [:]
        listed["steps"] = nil
        var second = listed
        second["id"] = "r0"
        let daemon = FakeDaemon(answers: [
            "GET /v1/runs?status=failed&limit=2&before=r5": reply([.object(listed), .object(second)]),
            "GET /v1/runs?status=failed&limit=2&before=r0": reply([.object(listed)]),
        ])
        let full = await triggerctl(["runs", "--status", "failed", "--limit", "2", "--before", "r5"], daemon: daemon)
        #expect(full.code == 0)
        #expect(
            full.stdout == """
                ID  WORKFLOW  STATUS    TRIGGER  CREATED               DURATION
                r1  deploy    ✗ failed  cron     2026-11-26T09:00:00Z  12s
                r0  deploy    ✗ failed  cron     2026-11-26T09:00:00Z  12s
                next page: triggerctl runs --status failed --limit 2 --before r0

                """
        )
        // A short page is the last one: no hint.
        let last = await triggerctl(["runs", "--status", "failed", "--limit", "2", "--before", "r0"], daemon: daemon)
        #expect(!last.stdout.contains("next page"))
        // --json prints the list alone.
        let json = await triggerctl(["runs", "--status", "failed", "--limit", "2", "--before", "r5", "--json"], daemon: daemon)
        #expect(!json.stdout.contains("next page"))
    }

    @Test func runStartsWithTheInputObject() async {
        let daemon = FakeDaemon(answers: ["POST /v1/workflows/deploy/runs": reply(["run_id": "r7"], status: 202)])
        let outcome = await triggerctl(["run", "deploy", "--input", "{\"env\": \"prod\"}"], daemon: daemon)
        #expect(
            outcome
                == Outcome(
                    code: 0,
                    stdout: "started run r7 of deploy\n",
                    stderr: "",
                    sockets: ["/run/triggerd/control.sock"]
                )
        )
        #expect(daemon.requests.first?.body == ["input": ["env": "prod"]])
        _ = await triggerctl(["run", "deploy"], daemon: daemon)
        #expect(daemon.requests.last?.body == ["input": [:]])
    }

    @Test func runRefusesInputThatIsNotAJSONObject() async {
        let bad = await triggerctl(["run", "deploy", "--input", "{nope"])
        #expect(bad.code == 2)
        #expect(
            bad.stderr
                == "triggerctl: --input: the value is not valid JSON: not valid JSON at byte 1: expected a string key\n"
        )
        let list = await triggerctl(["run", "deploy", "--input", "[1]"])
        #expect(
            list
                == Outcome(
                    code: 2,
                    stdout: "",
                    stderr: "triggerctl: --input must be a JSON object, not a list\n",
                    sockets: []
                )
        )
    }

    @Test func runWaitFollowsEventsAndExits1WhenTheRunFails() async {
        let events: [JSONValue] = [
            ["seq": 1, "at": "2026-11-26T09:00:00.100Z", "type": "run.started", "run_id": "r1", "workflow": "deploy"],
            ["seq": 2, "at": "2026-11-26T09:00:00.100Z", "type": "run.started", "run_id": "other", "workflow": "x"],
            [
                "seq": 3, "at": "2026-11-26T09:00:12.400Z", "type": "step.failed", "run_id": "r1", "workflow": "deploy",
                "step": "deploy", "attempt": 3, "error": "exit status 1",
            ],
            [
                "seq": 4, "at": "2026-11-26T09:00:12.400Z", "type": "run.failed", "run_id": "r1", "workflow": "deploy",
                "error": "step 'deploy' failed",
            ],
            ["seq": 5, "at": "2026-11-26T09:00:13Z", "type": "run.started", "run_id": "r1", "workflow": "deploy"],
        ]
        let daemon = FakeDaemon(
            answers: [
                "POST /v1/workflows/deploy/runs": reply(["run_id": "r1"], status: 202),
                "GET /v1/runs/r1": reply(Self.failedRun),
            ],
            events: events
        )
        let outcome = await triggerctl(["run", "deploy", "--wait"], daemon: daemon)
        #expect(outcome.code == 1)
        #expect(
            outcome.stdout == """
                started run r1 of deploy; following it
                2026-11-26T09:00:00Z  ● run.started
                2026-11-26T09:00:12Z  ✗ step.failed     deploy (attempt 3)  error: exit status 1
                2026-11-26T09:00:12Z  ✗ run.failed      error: step 'deploy' failed

                """
        )
        #expect(outcome.stderr == "triggerctl: run r1 failed: step 'deploy' failed\n")
        #expect(
            daemon.requests.map(\.path) == ["/v1/workflows/deploy/runs", "/v1/events/stream?run=r1", "/v1/runs/r1"]
        )
    }

    @Test func runWaitExits0WhenTheRunCompletes() async {
        let done: JSONValue = [
            "id": "r2", "status": "completed", "started_at": "2026-11-26T09:00:00Z",
            "ended_at": "2026-11-26T09:00:03.500Z",
        ]
        let daemon = FakeDaemon(
            answers: ["POST /v1/workflows/w/runs": reply(["run_id": "r2"]), "GET /v1/runs/r2": reply(done)],
            events: [["at": "2026-11-26T09:00:03.500Z", "type": "run.completed", "run_id": "r2", "workflow": "w"]]
        )
        let outcome = await triggerctl(["run", "w", "--wait"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(outcome.stdout.hasSuffix("2026-11-26T09:00:03Z  ✓ run.completed\nrun r2 completed in 3.5s\n"))
        let json = await triggerctl(["run", "w", "--wait", "--json"], daemon: daemon)
        #expect(json.stdout == done.jsonString(pretty: true) + "\n")
    }

    @Test func logsPrintsStoredEventsAndFallsBackToTheStream() async {
        let event: JSONValue = [
            "at": "2026-11-26T09:00:00Z", "type": "step.retrying", "run_id": "r1", "workflow": "w", "step": "s",
            "attempt": 2,
        ]
        let stored = FakeDaemon(answers: ["GET /v1/runs/r1/events?limit=1000": reply([event])])
        #expect(
            await triggerctl(["logs", "r1"], daemon: stored).stdout
                == "2026-11-26T09:00:00Z  ↻ step.retrying   s (attempt 2)\n"
        )
        let end: JSONValue = ["at": "2026-11-26T09:00:01Z", "type": "run.cancelled", "run_id": "r1", "workflow": "w"]
        let streamed = FakeDaemon(
            answers: ["GET /v1/runs/r1": reply(["id": "r1", "status": "cancelled"])],
            events: [event, end]
        )
        let outcome = await triggerctl(["logs", "r1", "--json"], daemon: streamed)
        #expect(outcome.code == 0)
        #expect(outcome.stdout == event.jsonString() + "\n" + end.jsonString() + "\n")
    }

    @Test func logsPagesThroughEveryStoredEvent() async {
        func event(_ seq: Int) -> JSONValue {
            ["seq": .number(Double(seq)), "at": "2026-11-26T09:00:00Z", "type": "step.started", "run_id": "r1", "workflow": "w"]
        }
        let first = JSONValue.array((1...1000).map(event))
        let daemon = FakeDaemon(answers: [
            "GET /v1/runs/r1/events?limit=1000": reply(first),
            "GET /v1/runs/r1/events?after=1000&limit=1000": reply([event(1001)]),
        ])
        let outcome = await triggerctl(["logs", "r1", "--json"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(outcome.stdout.split(separator: "\n").count == 1001)
        #expect(daemon.requests.map(\.path) == ["/v1/runs/r1/events?limit=1000", "/v1/runs/r1/events?after=1000&limit=1000"])
    }

    @Test func logsOfAnUnknownRunSaysSoAndExits1() async {
        let daemon = FakeDaemon(answers: [
            "GET /v1/runs/nope/events?limit=1000": errorReply(404, "not_found", "no run with id 'nope'")
        ])
        let outcome = await triggerctl(["logs", "nope"], daemon: daemon)
        #expect(outcome.code == 1)
        #expect(outcome.stderr == "triggerctl: no run with id 'nope'\n")
    }

    @Test func cancelAndRetrySaySomethingShort() async {
        let daemon = FakeDaemon(answers: [
            "POST /v1/runs/r1/cancel": reply(.object([:])), "POST /v1/runs/r1/retry": reply(["run_id": "r3"]),
        ])
        #expect(await triggerctl(["cancel", "r1"], daemon: daemon).stdout == "cancelled run r1\n")
        #expect(await triggerctl(["retry", "r1"], daemon: daemon).stdout == "retrying run r1 as run r3\n")
    }
}
