import Foundation
import Testing

@testable import Engine
@testable import TriggerCtl

/// `next --cron`, `webhook sign` and `validate`: no daemon involved.
@Suite struct OfflineCommandTests {
    @Test func nextCronPrintsFireTimesWithTheZonesOffsetAcrossDST() async {
        let outcome = await triggerctl([
            "next", "--cron", "0 9 * * 1-5", "--tz", "Europe/Berlin", "--after", "2026-03-27T00:00:00Z", "-n", "3",
        ])
        #expect(outcome.code == 0)
        #expect(outcome.sockets == [])
        #expect(outcome.stdout == "2026-03-27T09:00:00+01:00\n2026-03-30T09:00:00+02:00\n2026-03-31T09:00:00+02:00\n")
    }

    @Test func nextCronJSONIsAListOfTimestampsAndDefaultsToUTCAfterNow() async {
        let outcome = await triggerctl(["next", "--cron", "*/30 * * * *", "-n", "2", "--json"])
        #expect(outcome.stdout == "[\n  \"2026-11-26T09:30:00+00:00\",\n  \"2026-11-26T10:00:00+00:00\"\n]\n")
    }

    @Test func aBadCronExpressionExits1WithTheColumn() async {
        let outcome = await triggerctl(["next", "--cron", "0 24 * * *"])
        #expect(outcome.code == 1)
        #expect(
            outcome.stderr
                == "triggerctl: bad cron expression '0 24 * * *': column 3: hour field: 24 is out of range (0-23)\n"
        )
    }

    @Test func badZonesTimesAndArgumentCombinationsAreUsageErrors() async {
        let zone = await triggerctl(["next", "--cron", "* * * * *", "--tz", "Mars/Olympus"])
        #expect(zone.code == 2)
        #expect(zone.stderr.hasPrefix("Error: unknown time zone 'Mars/Olympus'\n"))
        #expect(await triggerctl(["next"]).code == 2)
        #expect(await triggerctl(["next", "nightly", "--cron", "* * * * *"]).code == 2)
        #expect(await triggerctl(["next", "--cron", "* * * * *", "--after", "yesterday"]).code == 2)
        #expect(await triggerctl(["next", "--cron", "* * * * *", "-n", "0"]).code == 2)
    }

    @Test func nextNameMergesTheWorkflowsCronTriggersInTime() async {
        let workflow: JSONValue = [
            "name": "nightly",
            "triggers": [
                ["type": "cron", "schedule": "0 2 * * *", "timezone": "Europe/Berlin"],
                ["type": "webhook", "path": "/hooks/n"],
                ["type": "cron", "schedule": "30 12 * * *", "timezone": "UTC"],
            ],
        ]
        let daemon = FakeDaemon(answers: ["GET /v1/workflows/nightly": reply(workflow)])
        let outcome = await triggerctl(
            ["next", "nightly", "-n", "3", "--after", "2026-11-26T00:00:00Z"],
            daemon: daemon
        )
        #expect(
            outcome.stdout == """
                NEXT                       TRIGGER
                2026-11-26T02:00:00+01:00  0 2 * * *
                2026-11-26T12:30:00+00:00  30 12 * * *
                2026-11-27T02:00:00+01:00  0 2 * * *

                """
        )
        let utc = await triggerctl(
            ["next", "nightly", "-n", "1", "--tz", "UTC", "--json", "--after", "2026-11-26T00:00:00Z"],
            daemon: daemon
        )
        #expect(utc.stdout == "[\n  \"2026-11-26T01:00:00+00:00\"\n]\n")
        let none = FakeDaemon(answers: ["GET /v1/workflows/h": reply(["name": "h", "triggers": [["type": "manual"]]])])
        #expect(
            await triggerctl(["next", "h"], daemon: none).stderr == "triggerctl: workflow 'h' has no cron triggers\n"
        )
    }

    @Test func webhookSignPrintsHeaderLines() async {
        // HMAC-SHA256("s", "hello"), as `openssl dgst -sha256 -hmac s` computes it.
        let github = await triggerctl([
            "webhook", "sign", "--scheme", "github", "--secret", "s", "--body", "hello", "--id", "d-1",
        ])
        #expect(github.code == 0)
        #expect(
            github.stdout == """
                X-Hub-Signature-256: sha256=8a06a64224d83d1bf0a2140fab7d5b462cf3f450592c7963910ed331e9031056
                X-GitHub-Delivery: d-1

                """
        )
        let slack = await triggerctl([
            "webhook", "sign", "--scheme", "slack", "--secret", "s", "--body", "@-", "--timestamp", "1700000000",
        ])
        #expect(slack.stdout.hasPrefix("X-Slack-Request-Timestamp: 1700000000\nX-Slack-Signature: v0="))
        let bearer = await triggerctl(["webhook", "sign", "--scheme", "bearer", "--secret", "tok", "--json"])
        #expect(bearer.stdout == "{\n  \"Authorization\": \"Bearer tok\"\n}\n")
    }

    @Test func webhookSignRefusesWhatCannotWork() async {
        let scheme = await triggerctl(["webhook", "sign", "--scheme", "gitlab", "--secret", "s"])
        #expect(scheme.code == 2)
        #expect(
            scheme.stderr.hasPrefix(
                "Error: unknown scheme 'gitlab'; expected one of: github, stripe, slack, standard, hmac, bearer\n"
            )
        )
        #expect(
            await triggerctl(["webhook", "sign", "--scheme", "github", "--secret", "s", "--encoding", "hex"]).code == 2
        )
        let empty = await triggerctl(["webhook", "sign", "--scheme", "github", "--secret", ""])
        #expect(empty == Outcome(code: 2, stdout: "", stderr: "triggerctl: cannot sign: the secret is empty\n"))
        let missing = await triggerctl([
            "webhook", "sign", "--scheme", "hmac", "--secret", "s", "--body", "@/nonexistent/body.json",
        ])
        #expect(missing.stderr == "triggerctl: --body: file '/nonexistent/body.json' does not exist\n")
    }

    @Test func validateReportsOkLinesAndDiagnosticsAndExits1OnAnyError() {
        let console = CapturedConsole()
        var context = CtlContext.live
        context.console = console
        let results = [
            ValidationResult(path: "wf/a.yaml", workflowName: "a", diagnostics: []),
            ValidationResult(
                path: "wf/b.yaml",
                workflowName: nil,
                diagnostics: ["wf/b.yaml:4:11: error: unknown step type 'x'"]
            ),
        ]
        CtlContext.$current.withValue(context) {
            #expect(throws: CtlFailure.failed("1 of 2 workflow files have errors")) {
                try TriggerCtl.Validate.report(results, paths: ["wf"], json: false)
            }
            #expect(throws: CtlFailure.failed("no workflow files found in empty/")) {
                try TriggerCtl.Validate.report([], paths: ["empty/"], json: false)
            }
        }
        #expect(console.stdout == "ok: wf/a.yaml (a)\n")
        #expect(console.stderr == "wf/b.yaml:4:11: error: unknown step type 'x'\n")
        #expect(
            TriggerCtl.Validate.json(Array(results.prefix(1)))
                == [["path": "wf/a.yaml", "workflow": "a", "ok": true, "diagnostics": [], "warnings": []]]
        )
    }

    @Test func validateWarningsDoNotFailTheFile() throws {
        let console = CapturedConsole()
        var context = CtlContext.live
        context.console = console
        let warning = "wf/a.yaml:3:26: warning: cron schedule '*/61 * * * *': minute field: step 61 ..."
        let results = [ValidationResult(path: "wf/a.yaml", workflowName: "a", diagnostics: [], warnings: [warning])]
        try CtlContext.$current.withValue(context) {
            try TriggerCtl.Validate.report(results, paths: ["wf"], json: false)
        }
        #expect(console.stdout == "ok: wf/a.yaml (a)\n")
        #expect(console.stderr == warning + "\n")
        #expect(TriggerCtl.Validate.json(results).arrayValue?.first?["warnings"] == .array([.string(warning)]))
    }

    @Test func nextFindsARareFireDecadesAhead() async {
        let outcome = await triggerctl(["next", "--cron", "0 0 29 2 *", "--after", "2096-03-01T00:00:00Z", "-n", "2"])
        #expect(outcome.code == 0)
        #expect(outcome.stdout == "2104-02-29T00:00:00+00:00\n2108-02-29T00:00:00+00:00\n")
    }

    @Test func nextRefusesAScheduleThatNeverFires() async {
        let outcome = await triggerctl(["next", "--cron", "0 0 30 2 *"])
        #expect(outcome.code == 1)
        #expect(
            outcome.stderr
                == "triggerctl: bad cron expression '0 0 30 2 *': column 5: never fires: no date matches day-of-month "
                + "'30', month '2' and day-of-week '*' in any year\n"
        )
    }

    @Test func nextWarnsAboutAStepThatSelectsOneValue() async {
        let outcome = await triggerctl(["next", "--cron", "*/61 * * * *", "--after", "2026-01-01T00:00:00Z", "-n", "1"])
        #expect(outcome.code == 0)
        #expect(outcome.stdout == "2026-01-01T01:00:00+00:00\n")
        #expect(
            outcome.stderr
                == "triggerctl: warning: column 3: minute field: step 61 in '*/61' reaches past the end of its range, "
                + "so it selects only 0, as in Debian cron; write '0' if that is what you mean\n"
        )
    }

    @Test func validateNeedsAPath() async {
        let outcome = await triggerctl(["validate"])
        #expect(outcome.code == 2)
        #expect(outcome.stderr.hasPrefix("Error: Missing expected argument '<path> ...'\n"))
    }
}
