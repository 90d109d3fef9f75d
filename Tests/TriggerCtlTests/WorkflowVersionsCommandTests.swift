import Engine
import Foundation
import Testing

@testable import TriggerCtl

/// `triggerctl workflows versions NAME` and `triggerctl workflows diff NAME FROM TO` against a fake daemon.
@Suite struct WorkflowVersionsCommandTests {
    static let old = "aaaaaaaaaaaa1111"
    static let new = "bbbbbbbbbbbb2222"

    static let daemon = FakeDaemon(answers: [
        "GET /v1/workflows/deploy/versions": reply([
            [
                "version": .string(new), "name": "deploy", "file": "deploy.yaml",
                "first_loaded_at": "2026-11-26T08:30:00Z", "current": true,
            ],
            [
                "version": .string(old), "name": "deploy", "file": "deploy.yaml",
                "first_loaded_at": "2026-11-25T10:00:00Z", "current": false,
            ],
        ]),
        "GET /v1/workflows/deploy/versions/aaaaaaaaaaaa": reply([
            "version": .string(old), "name": "deploy", "file": "deploy.yaml", "first_loaded_at": "2026-11-25T10:00:00Z",
            "current": false, "source": "name: deploy\nsteps:\n  a: { type: transform, with: { value: 1 } }\n",
        ]),
        "GET /v1/workflows/deploy/versions/bbbbbbbbbbbb": reply([
            "version": .string(new), "name": "deploy", "file": "deploy.yaml", "first_loaded_at": "2026-11-26T08:30:00Z",
            "current": true, "source": "name: deploy\nsteps:\n  a: { type: transform, with: { value: 2 } }\n",
        ]),
        "GET /v1/workflows/nope/versions": errorReply(404, "not_found", "no workflow named 'nope'"),
    ])

    @Test func versionsAreATableNewestFirstWithTheCurrentOneMarked() async {
        let outcome = await triggerctl(["workflows", "versions", "deploy"], daemon: Self.daemon)
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                VERSION       FIRST LOADED          FILE
                bbbbbbbbbbbb  2026-11-26T08:30:00Z  deploy.yaml  current
                aaaaaaaaaaaa  2026-11-25T10:00:00Z  deploy.yaml

                """)
    }

    @Test func diffPrintsAUnifiedDiffOfTheTwoSources() async {
        let outcome = await triggerctl(["workflows", "diff", "deploy", "aaaaaaaaaaaa", "bbbbbbbbbbbb"], daemon: Self.daemon)
        #expect(
            outcome
                == Outcome(
                    code: 0,
                    stdout: """
                        --- deploy@aaaaaaaaaaaa (deploy.yaml)
                        +++ deploy@bbbbbbbbbbbb (deploy.yaml)
                        @@ -1,3 +1,3 @@
                         name: deploy
                         steps:
                        -  a: { type: transform, with: { value: 1 } }
                        +  a: { type: transform, with: { value: 2 } }

                        """,
                    stderr: "",
                    sockets: ["/run/triggerd/control.sock"]
                ))
    }

    @Test func anUnknownWorkflowExits1WithTheDaemonsMessage() async {
        let outcome = await triggerctl(["workflows", "versions", "nope"], daemon: Self.daemon)
        #expect(outcome.code == 1)
        #expect(outcome.stderr == "triggerctl: no workflow named 'nope'\n")
    }

    @Test func aWorkflowNameStillShowsTheWorkflow() async {
        let workflow: JSONValue = [
            "name": "deploy", "file": "deploy.yaml", "version": "v1", "steps": [], "triggers": [], "load_error": .null,
        ]
        let daemon = FakeDaemon(answers: ["GET /v1/workflows/deploy": reply(workflow)])
        let plain = await triggerctl(["workflows", "deploy"], daemon: daemon)
        let explicit = await triggerctl(["workflows", "show", "deploy"], daemon: daemon)
        #expect(plain.code == 0)
        #expect(plain.stdout.hasPrefix("name     deploy\n"), "\(plain.stdout)")
        #expect(explicit == plain)
    }
}
