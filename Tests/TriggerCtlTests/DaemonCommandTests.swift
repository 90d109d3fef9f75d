import Engine
import Foundation
import Testing

@testable import TriggerCtl

/// `status`, `workflows`, `approvals`, `approve`, `emit`, `schedules`, `reload`, `backup` against a fake daemon.
@Suite struct DaemonCommandTests {
    @Test func statusSummarisesCountsErrorsAndNextFires() async {
        let status: JSONValue = [
            "version": "0.1.0", "started_at": "2026-11-26T08:00:00Z", "uptime_seconds": 3723, "workflows_loaded": 3,
            "load_errors": [["file": "bad.yaml", "message": "bad.yaml:3:7: error: unknown step type 'x'"]],
            "run_counts": ["pending": 0, "running": 2, "waiting": 1, "completed": 10, "failed": 0, "cancelled": 0],
            "pending_approvals": 1,
            "next_fires": [["workflow": "nightly", "trigger": "0 2 * * *", "next": "2026-11-27T02:00:00Z"]],
            "listen": "127.0.0.1:8780", "socket": "/run/triggerd/control.sock",
        ]
        let outcome = await triggerctl(["status"], daemon: FakeDaemon(answers: ["GET /v1/status": reply(status)]))
        #expect(
            outcome.stdout == """
                triggerd 0.1.0, up 1h02m (since 2026-11-26T08:00:00Z)
                socket     /run/triggerd/control.sock
                listen     127.0.0.1:8780
                workflows  3 loaded, 1 file with errors
                runs       2 running, 1 waiting, 10 completed
                approvals  1 pending

                load errors
                  bad.yaml
                    bad.yaml:3:7: error: unknown step type 'x'

                next fires
                WORKFLOW  TRIGGER    NEXT
                nightly   0 2 * * *  2026-11-27T02:00:00Z

                """
        )
    }

    @Test func workflowsListMarksLoadErrorsAndShowsThem() async {
        let list: JSONValue = [
            [
                "name": "nightly", "file": "nightly.yaml", "version": "0123456789abcdef", "steps": ["a", "b"],
                "triggers": [["type": "cron", "schedule": "0 2 * * *"]], "load_error": .null,
            ],
            [
                "name": "hook", "file": "hook.yaml", "version": .null, "steps": [], "triggers": [],
                "load_error": "hook.yaml:1:1: error: bad",
            ],
        ]
        let outcome = await triggerctl(["workflows"], daemon: FakeDaemon(answers: ["GET /v1/workflows": reply(list)]))
        #expect(
            outcome.stdout == """
                NAME     STATE       TRIGGERS  STEPS  VERSION       FILE
                nightly  ok          cron      2      0123456789ab  nightly.yaml
                hook     load error  -         0      -             hook.yaml

                hook.yaml
                  hook.yaml:1:1: error: bad

                """
        )
    }

    @Test func oneWorkflowShowsItsTriggers() async {
        let workflow: JSONValue = [
            "name": "deploy", "description": "Ship it", "file": "deploy.yaml", "version": "v1",
            "steps": ["build", "ship"],
            "triggers": [
                ["type": "webhook", "path": "/hooks/deploy", "verify": ["scheme": "github"]],
                [
                    "type": "cron", "schedule": "0 9 * * *", "timezone": "Europe/Paris",
                    "next": "2026-11-27T08:00:00.000Z",
                ],
                ["type": "event", "name": "order.*"],
            ],
            "load_error": .null,
        ]
        let outcome = await triggerctl(
            ["workflows", "deploy"],
            daemon: FakeDaemon(answers: ["GET /v1/workflows/deploy": reply(workflow)])
        )
        #expect(
            outcome.stdout == """
                name         deploy
                description  Ship it
                file         deploy.yaml
                version      v1
                steps        build, ship

                triggers
                TYPE     DETAIL                       NEXT
                webhook  POST /hooks/deploy (github)
                cron     0 9 * * * (Europe/Paris)     2026-11-27T08:00:00Z
                event    order.*

                """
        )
    }

    static let approval: JSONValue = [
        "run_id": "r2", "workflow": "deploy", "step": "gate", "message": "Ship?", "since": "2026-11-26T08:48:00Z",
        "deadline": .null, "approvers": ["ops"], "required": 2, "approved_by": ["alice"],
    ]

    @Test func approvalsAreATable() async {
        let outcome = await triggerctl(
            ["approvals"],
            daemon: FakeDaemon(answers: ["GET /v1/approvals": reply([Self.approval])])
        )
        #expect(
            outcome.stdout == """
                RUN  WORKFLOW  STEP  WAITING  DEADLINE  APPROVED     APPROVERS  MESSAGE
                r2   deploy    gate  12m00s   none      1/2 (alice)  ops        Ship?

                """
        )
        #expect(
            await triggerctl(["approvals"], daemon: FakeDaemon(answers: ["GET /v1/approvals": reply([])])).stdout
                == "no pending approvals\n"
        )
    }

    @Test func approveWithoutAStepUsesTheRunsOnlyPendingApproval() async {
        let decision: JSONValue = [
            "user": "bob", "uid": 1001, "approved": true, "comment": "ok", "at": "2026-11-26T09:00:00Z", "step": "gate",
        ]
        let daemon = FakeDaemon(answers: [
            "GET /v1/approvals": reply([Self.approval]), "POST /v1/runs/r2/steps/gate/approve": reply(decision),
        ])
        let outcome = await triggerctl(["approve", "r2", "--comment", "ok"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(outcome.stdout == "approved step gate of run r2 as bob\n")
        #expect(daemon.requests.last == ControlRequest.decide(run: "r2", step: "gate", approve: true, comment: "ok"))
        let none = await triggerctl(["reject", "r9"], daemon: daemon)
        #expect(
            none
                == Outcome(
                    code: 1,
                    stdout: "",
                    stderr: "triggerctl: run r9 has no pending approval\n",
                    sockets: ["/run/triggerd/control.sock"]
                )
        )
    }

    @Test func approveWithSeveralPendingStepsAsksForOne() async {
        var second = Self.approval.objectValue ?? [:]
        second["step"] = "legal"
        let daemon = FakeDaemon(answers: ["GET /v1/approvals": reply([Self.approval, .object(second)])])
        let outcome = await triggerctl(["reject", "r2"], daemon: daemon)
        #expect(outcome.code == 2)
        #expect(outcome.stderr == "triggerctl: run r2 waits for approval at several steps (gate, legal); name one\n")
        let refused = FakeDaemon(answers: [
            "POST /v1/runs/r2/steps/gate/reject": errorReply(403, "forbidden", "user eve may not decide step 'gate'")
        ])
        #expect(
            await triggerctl(["reject", "r2", "gate"], daemon: refused).stderr
                == "triggerctl: user eve may not decide step 'gate'\n"
        )
    }

    @Test func emitSendsNameKeyAndDataAndSaysWhatHappened() async {
        let daemon = FakeDaemon(answers: [
            "POST /v1/events": reply(["event_id": "ev1", "resumed": ["r2"], "started": []])
        ])
        let outcome = await triggerctl(
            ["emit", "order.paid", "--key", "42", "--data", "{\"total\": 9.5}"],
            daemon: daemon
        )
        #expect(outcome.stdout == "emitted order.paid as event ev1\nresumed  r2\nstarted  no runs\n")
        #expect(daemon.requests.first?.body == ["name": "order.paid", "key": "42", "data": ["total": 9.5]])
    }

    @Test func schedulesFallBackToWorkflowTriggersOnAnOlderDaemon() async {
        let workflows: JSONValue = [
            [
                "name": "nightly",
                "triggers": [
                    ["type": "cron", "schedule": "0 2 * * *", "timezone": "UTC", "next": "2026-11-27T02:00:00Z"]
                ],
            ]
        ]
        let daemon = FakeDaemon(answers: ["GET /v1/workflows": reply(workflows)])
        let outcome = await triggerctl(["schedules"], daemon: daemon)
        #expect(
            outcome.stdout == """
                WORKFLOW  SCHEDULE   TIMEZONE  NEXT                  LAST   LATENESS
                nightly   0 2 * * *  UTC       2026-11-27T02:00:00Z  never         -

                """
        )
        let full = FakeDaemon(answers: [
            "GET /v1/schedules": reply([
                [
                    "workflow": "nightly", "schedule": "0 2 * * *", "timezone": "UTC", "next": "2026-11-27T02:00:00Z",
                    "last_scheduled_at": "2026-11-26T02:00:00Z", "last_fired_at": "2026-11-26T02:00:01.200Z",
                ]
            ])
        ])
        let shown = await triggerctl(["schedules"], daemon: full).stdout
        #expect(shown.hasSuffix("  2026-11-26T02:00:01Z      1.2s\n"), "\(shown)")
    }

    @Test func deliveriesShowEachRunsCurrentStatus() async {
        let daemon = FakeDaemon(answers: [
            "GET /v1/deliveries": reply([
                [
                    "id": "d2", "workflow": "push", "received_at": "2026-11-26T09:00:05.000Z", "outcome": "filtered",
                    "reason": "filter was false", "run_id": nil, "run_status": nil,
                ],
                [
                    "id": "d1", "workflow": "push", "received_at": "2026-11-26T09:00:00.000Z", "outcome": "started",
                    "reason": nil, "run_id": "r1", "run_status": "failed",
                ],
            ])
        ])
        let outcome = await triggerctl(["deliveries"], daemon: daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                ID  WORKFLOW  RECEIVED              OUTCOME   RUN  RUN STATUS  DETAIL
                d2  push      2026-11-26T09:00:05Z  filtered  -    -           filter was false
                d1  push      2026-11-26T09:00:00Z  started   r1   ✗ failed

                """
        )
    }

    @Test func reloadWithLoadErrorsExits1AndPrintsThem() async {
        let report: JSONValue = [
            "loaded": 3, "changed": ["a"], "removed": [],
            "errors": [["file": "b.yaml", "message": "b.yaml:1:1: error: x"]],
        ]
        let outcome = await triggerctl(["reload"], daemon: FakeDaemon(answers: ["POST /v1/reload": reply(report)]))
        #expect(outcome.code == 1)
        #expect(outcome.stdout == "reloaded: 3 workflows loaded, changed: a, none removed\n")
        #expect(
            outcome.stderr
                == "b.yaml:1:1: error: x\ntriggerctl: 1 file failed to load (their previous versions stay active)\n"
        )
    }

    @Test func aRefusedSecretsFileFailsReloadAndShowsInStatus() async {
        let problem = "secrets file /s.env is readable by group or others (mode 644); run: chmod 600 /s.env (the previous secrets stay in use)"
        let report: JSONValue = ["loaded": 1, "changed": [], "removed": [], "errors": [], "secrets_error": .string(problem)]
        let reload = await triggerctl(["reload"], daemon: FakeDaemon(answers: ["POST /v1/reload": reply(report)]))
        #expect(reload.code == 1)
        #expect(reload.stdout == "reloaded: 1 workflows loaded, none changed, none removed\n")
        #expect(reload.stderr == "triggerctl: secrets not reloaded: \(problem)\n")

        let status: JSONValue = ["version": "0.1.0", "workflows_loaded": 1, "secrets_error": .string(problem)]
        let shown = await triggerctl(["status"], daemon: FakeDaemon(answers: ["GET /v1/status": reply(status)]))
        #expect(shown.stdout.hasSuffix("secrets not reloaded\n  \(problem)\n"), "\(shown.stdout)")
        let clean: JSONValue = ["version": "0.1.0", "workflows_loaded": 1, "secrets_error": nil]
        let fine = await triggerctl(["status"], daemon: FakeDaemon(answers: ["GET /v1/status": reply(clean)]))
        #expect(!fine.stdout.contains("secrets"))
    }

    @Test func backupSendsAnAbsolutePath() async {
        let daemon = FakeDaemon(answers: ["POST /v1/backup": reply(["path": "/srv/backups/t.db", "bytes": 4096])])
        let outcome = await triggerctl(["backup", "../backups/./t.db"], daemon: daemon, workingDirectory: "/srv/work")
        #expect(daemon.requests.first?.body == ["path": "/srv/backups/t.db"])
        #expect(outcome.stdout == "backup written to /srv/backups/t.db (4096 bytes)\n")
    }
}
