import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: routes that change things")
struct ControlWriteRoutesTests {
    @Test func startRunAnswers201WithTheRunID() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/workflows/deploy/runs",
                method: .post,
                body: ControlTest.body(#"{"input": {"env": "prod", "count": 2}}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body) == #"{"run_id":"r-new"}"#)
            }
            // No body at all starts the run with an empty input.
            try await client.execute(uri: "/v1/workflows/deploy/runs", method: .post) { response in
                #expect(response.status == .created)
            }
        }
        #expect(
            await plane.startedRuns == [
                .init(workflow: "deploy", input: ["env": "prod", "count": 2]),
                .init(workflow: "deploy", input: [:]),
            ]
        )
    }

    @Test(arguments: [
        (#"{"input": [1, 2]}"#, "'input' in request body must be a JSON object, got a list"),
        (#"{"inputs": {}}"#, "unknown field 'inputs' in request body (expected: input)"),
        (#"["input"]"#, "request body must be a JSON object, got a list"),
        (#"{"input": {"env": "prod"}"#, "request body is not valid JSON at byte 25: unexpected end of input"),
        (#"{"input": {"region": "eu"}}"#, "input 'env' is missing"),
    ])
    func startRunRefusesBadBodies(body: String, message: String) async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/workflows/deploy/runs",
                method: .post,
                body: ControlTest.body(body)
            ) { response in
                try ControlTest.expectError(response, .badRequest, "invalid_input", message)
            }
        }
        #expect(await plane.startedRuns.isEmpty)
    }

    @Test func startRunOfAnUnknownWorkflowIs404() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/workflows/nope/runs", method: .post) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no workflow named 'nope'")
            }
        }
    }

    @Test func cancelAndRetry() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/r1/cancel", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"run_id":"r1"}"#)
            }
            try await client.execute(uri: "/v1/runs/r2/cancel", method: .post) { response in
                try ControlTest.expectError(response, .conflict, "conflict", "run 'r2' already ended")
            }
            try await client.execute(uri: "/v1/runs/r1/retry", method: .post) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body) == #"{"retry_of":"r1","run_id":"r-retry"}"#)
            }
        }
        #expect(await plane.cancelled == ["r1"])
    }

    @Test func approveAStepRecordsThePeerAndComment() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/approve",
                method: .post,
                body: ControlTest.body(#"{"comment": "ship it"}"#)
            ) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                let expected: JSONValue = [
                    "run_id": "r1", "step": "gate", "user": "triggerd", "uid": 4242, "approved": true,
                    "comment": "ship it", "at": "2027-01-15T08:00:00.000Z",
                ]
                #expect(body == expected)
            }
            try await client.execute(uri: "/v1/runs/r1/reject", method: .post) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                #expect(body["approved"] == false)
                #expect(body["comment"] == .null)
            }
            try await client.execute(
                uri: "/v1/runs/r1/steps/gate/reject",
                method: .post,
                body: ControlTest.body(#"{"comment": 5}"#)
            ) { response in
                try ControlTest.expectError(
                    response,
                    .badRequest,
                    "invalid_input",
                    "'comment' in request body must be a string, got a number"
                )
            }
        }
        #expect(
            await plane.decisions == [
                .init(runID: "r1", stepID: "gate", approve: true, comment: "ship it", peer: ControlTest.daemonPeer),
                .init(runID: "r1", stepID: nil, approve: false, comment: nil, peer: ControlTest.daemonPeer),
            ]
        )
    }

    @Test func reloadReportsWhatChanged() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/reload", method: .post) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                let expected: JSONValue = [
                    "loaded": 2, "changed": ["deploy"], "removed": ["old"],
                    "errors": [["file": "broken.yaml", "message": "broken.yaml:3:7: error: unknown key 'stpes'"]],
                    "secrets_error": .null,
                    "warnings": [["file": "steps.yaml", "message": "steps.yaml:2:14: warning: step 61 selects only 0"]],
                ]
                #expect(body == expected)
            }
        }
    }
}
