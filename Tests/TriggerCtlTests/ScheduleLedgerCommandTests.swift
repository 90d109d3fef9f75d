import Engine
import Foundation
import Testing

@testable import TriggerCtl

/// `triggerctl schedules ledger` and `triggerctl runs --trigger` against a fake daemon.
@Suite("triggerctl: schedule ledger and runs by trigger kind")
struct ScheduleLedgerCommandTests {
    static let slots: JSONValue = [
        [
            "workflow": "nightly", "trigger": "cron:0 2 * * *@UTC", "scheduled_at": "2026-11-26T02:00:00.000Z",
            "fired_at": "2026-11-26T02:00:00.004Z", "lateness_seconds": 0.004, "outcome": "started", "run_id": "r9",
            "reason": "on time",
        ],
        [
            "workflow": "nightly", "trigger": "cron:0 2 * * *@UTC", "scheduled_at": "2026-11-25T02:00:00.000Z",
            "fired_at": nil, "lateness_seconds": 7800, "outcome": "missed", "run_id": nil,
            "reason": "missed during downtime; catch_up: none fires no missed slot",
        ],
    ]

    static let path = "/v1/schedules/nightly/cron%3A0%202%20%2A%20%2A%20%2A%40UTC/ledger"

    @Test func theLedgerOfTheOnlyCronTriggerIsATableWithReasons() async {
        let daemon = FakeDaemon(answers: [
            "GET /v1/schedules": reply([
                ["workflow": "nightly", "trigger": "cron:0 2 * * *@UTC"], ["workflow": "other", "trigger": "cron:* * * * *@UTC"],
            ]),
            "GET \(Self.path)": reply(Self.slots),
        ])
        let outcome = await triggerctl(["schedules", "ledger", "nightly"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                SCHEDULED             OUTCOME  RUN   LATE  REASON
                2026-11-26T02:00:00Z  started  r9     4ms  on time
                2026-11-25T02:00:00Z  missed   -    2h10m  missed during downtime; catch_up: none fires no missed slot

                """
        )
        #expect(daemon.requests.map(\.path) == ["/v1/schedules", Self.path])
    }

    @Test func aFullPageEndsWithTheCommandForTheNextOne() async throws {
        let daemon = FakeDaemon(answers: [
            "GET \(Self.path)?limit=2": reply(Self.slots)
        ])
        let outcome = await triggerctl(["schedules", "ledger", "nightly", "cron:0 2 * * *@UTC", "--limit", "2"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout.hasSuffix(
                "next page: triggerctl schedules ledger nightly 'cron:0 2 * * *@UTC' --before 2026-11-25T02:00:00.000Z --limit 2\n"
            ),
            "\(outcome.stdout)"
        )
        // The key given, so /v1/schedules is not asked.
        #expect(daemon.requests.map(\.path) == ["\(Self.path)?limit=2"])
        let json = await triggerctl(["schedules", "ledger", "nightly", "cron:0 2 * * *@UTC", "--limit", "2", "--json"], daemon: daemon)
        #expect(try JSONValue.parse(json.stdout) == Self.slots)
    }

    @Test func aWorkflowWithSeveralCronTriggersNeedsAKey() async {
        let daemon = FakeDaemon(answers: [
            "GET /v1/schedules": reply([
                ["workflow": "nightly", "trigger": "cron:0 2 * * *@UTC"], ["workflow": "nightly", "trigger": "cron:0 14 * * *@UTC"],
            ])
        ])
        let outcome = await triggerctl(["schedules", "ledger", "nightly"], daemon: daemon)
        #expect(
            outcome == Outcome(
                code: 2, stdout: "",
                stderr: "triggerctl: workflow 'nightly' has 2 cron triggers; give one key: 'cron:0 2 * * *@UTC', 'cron:0 14 * * *@UTC'\n",
                sockets: outcome.sockets)
        )
        let none = await triggerctl(["schedules", "ledger", "ghost"], daemon: daemon)
        #expect(none.code == 1)
        #expect(none.stderr == "triggerctl: workflow 'ghost' has no cron trigger loaded; give its trigger key\n")
    }

    @Test func badLedgerArgumentsAreUsageErrors() async {
        let outcome = await triggerctl(["schedules", "ledger", "nightly", "k", "--before", "yesterday"])
        #expect(outcome.code == 2)
        #expect(outcome.stderr.contains("--before must be an RFC 3339 time such as 2026-01-15T08:00:00Z, got 'yesterday'"))
    }

    @Test func plainSchedulesStillListsTheTriggers() async {
        let daemon = FakeDaemon(answers: ["GET /v1/schedules": reply([])])
        #expect(await triggerctl(["schedules"], daemon: daemon).stdout == "no cron triggers\n")
        #expect(await triggerctl(["schedules", "--json"], daemon: daemon).stdout == "[]\n")
    }

    @Test func runsSendsTheTriggerKindAndRefusesAnUnknownOne() async {
        let run: JSONValue = [
            "id": "r2", "workflow": "deploy", "status": "completed", "trigger": ["type": "cron", "retry_of": "r1"],
            "created_at": "2026-11-26T09:00:00.000Z", "started_at": "2026-11-26T09:00:00.000Z",
            "ended_at": "2026-11-26T09:00:01.000Z",
        ]
        let daemon = FakeDaemon(answers: ["GET /v1/runs?trigger=retry&limit=1": reply([run])])
        let outcome = await triggerctl(["runs", "--trigger", "retry", "--limit", "1"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                ID  WORKFLOW  STATUS       TRIGGER  CREATED               DURATION
                r2  deploy    ✓ completed  retry    2026-11-26T09:00:00Z  1.0s
                next page: triggerctl runs --trigger retry --limit 1 --before r2

                """
        )
        let bad = await triggerctl(["runs", "--trigger", "ftp"])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("unknown trigger kind 'ftp'; expected one of: manual, cron, webhook, event, retry, replay"))
    }
}
