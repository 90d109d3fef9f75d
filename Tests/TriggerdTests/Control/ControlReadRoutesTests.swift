import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: read-only routes")
struct ControlReadRoutesTests {
    @Test func statusReportsCountsLoadErrorsAndNextFires() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let expected: JSONValue = [
                    "version": "0.1.0",
                    "started_at": "2027-01-15T08:00:00.000Z",
                    "uptime_seconds": 90.5,
                    "workflows_loaded": 2,
                    "load_errors": [["file": "broken.yaml", "message": "broken.yaml:3:7: error: unknown key 'stpes'"]],
                    "run_counts": [
                        "pending": 0, "running": 1, "waiting": 0, "completed": 0, "failed": 3, "cancelled": 0,
                    ],
                    "pending_approvals": 1,
                    "next_fires": [["workflow": "nightly", "trigger": 0, "next": "2027-01-16T02:00:00.000Z"]],
                    "listen": "127.0.0.1:8780",
                    "socket": "/run/triggerd/control.sock",
                    "secrets_error": nil,
                ]
                let body = try ControlTest.json(response)
                #expect(body == expected)
            }
        }
    }

    @Test func workflowsListsEveryFileWithNullsForMissingValues() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/workflows", method: .get) { response in
                #expect(response.status == .ok)
                // Compact JSON with sorted keys, byte for byte.
                #expect(
                    String(buffer: response.body)
                        == #"[{"description":"Ship it","file":"deploy.yaml","load_error":null,"name":"deploy","#
                        + #""steps":["build","gate","release"],"triggers":[{"type":"manual"}],"version":"sha256:abc"},"#
                        + #"{"description":null,"file":"broken.yaml","#
                        + #""load_error":"broken.yaml:3:7: error: unknown key 'stpes'","name":"broken","steps":[],"#
                        + #""triggers":[],"version":null}]"#
                )
            }
        }
    }

    @Test func oneWorkflowByNameOr404() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/workflows/deploy", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                #expect(body["name"] == "deploy")
                #expect(body["steps"] == ["build", "gate", "release"])
            }
            try await client.execute(uri: "/v1/workflows/nope", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no workflow named 'nope'")
            }
        }
    }

    @Test func runListPassesFiltersAndOmitsSteps() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/runs?workflow=deploy&status=failed&limit=10&before=r9",
                method: .get
            ) { response in
                #expect(response.status == .ok)
                let expected: JSONValue = [
                    [
                        "id": "r1", "workflow": "deploy", "version": "sha256:abc", "status": "waiting",
                        "trigger": ["type": "manual"], "input": ["env": "prod"],
                        "created_at": "2027-01-15T08:00:00.000Z", "started_at": "2027-01-15T08:00:00.500Z",
                        "ended_at": nil, "error": nil, "output": nil,
                    ]
                ]
                let body = try ControlTest.json(response)
                #expect(body == expected)
            }
            try await client.execute(uri: "/v1/runs?workflow=&status=", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(
            await plane.queries == [
                RunQuery(workflow: "deploy", status: .failed, limit: 10, before: "r9"),
                RunQuery(workflow: nil, status: nil, limit: 50, before: nil),
            ]
        )
    }

    @Test(arguments: [
        (
            "/v1/runs?status=done",
            "unknown run status 'done' in ?status= (expected one of: pending, running, waiting, completed, failed, cancelled)"
        ),
        ("/v1/runs?limit=0", "?limit= must be a whole number from 1 to 1000, got '0'"),
        ("/v1/runs?limit=ten", "?limit= must be a whole number from 1 to 1000, got 'ten'"),
        ("/v1/runs?state=failed", "unknown query parameter 'state' (expected: workflow, status, trigger, limit, before)"),
    ])
    func runListRefusesBadFilters(uri: String, message: String) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                try ControlTest.expectError(response, .badRequest, "invalid_input", message)
            }
        }
    }

    @Test func oneRunHasEveryStepAndDecision() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/r1", method: .get) { response in
                #expect(response.status == .ok)
                let expected: JSONValue = [
                    "id": "r1", "workflow": "deploy", "version": "sha256:abc", "status": "waiting",
                    "trigger": ["type": "manual"], "input": ["env": "prod"],
                    "created_at": "2027-01-15T08:00:00.000Z", "started_at": "2027-01-15T08:00:00.500Z",
                    "ended_at": nil, "error": nil, "output": nil,
                    "steps": [
                        [
                            "id": "build", "type": "command", "status": "completed", "attempts": 1,
                            "started_at": "2027-01-15T08:00:00.500Z", "ended_at": "2027-01-15T08:01:00.000Z",
                            "output": ["exit_code": 0], "error": nil, "needs": [],
                        ],
                        [
                            "id": "gate", "type": "wait_for_approval", "status": "waiting", "attempts": 1,
                            "started_at": "2027-01-15T08:01:00.000Z", "ended_at": nil, "output": nil, "error": nil,
                            "needs": ["build"],
                        ],
                    ],
                    "decisions": [
                        [
                            "run_id": "r1", "step": "gate", "user": "alice", "uid": 1000, "approved": true,
                            "comment": nil, "at": "2027-01-15T08:01:00.000Z",
                        ]
                    ],
                ]
                let body = try ControlTest.json(response)
                #expect(body == expected)
            }
            try await client.execute(uri: "/v1/runs/r404", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no run with id 'r404'")
            }
        }
    }

    @Test func pendingApprovals() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/approvals", method: .get) { response in
                #expect(response.status == .ok)
                let expected: JSONValue = [
                    [
                        "run_id": "r1", "workflow": "deploy", "step": "gate", "message": "Release to prod?",
                        "since": "2027-01-15T08:01:00.000Z", "deadline": "2027-01-15T09:00:00.000Z",
                        "approvers": ["ops"], "required": 2, "approved_by": ["alice"],
                    ]
                ]
                let body = try ControlTest.json(response)
                #expect(body == expected)
            }
        }
    }
}
