import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: a run's stored events")
struct ControlRunEventsRouteTests {
    @Test func listsOneRunsEventsOldestFirstInTheEventShape() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/r1/events", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let expected: JSONValue = [
                    [
                        "seq": 1, "at": "2027-01-15T08:00:00.500Z", "type": "run.started", "run_id": "r1",
                        "workflow": "deploy",
                    ],
                    [
                        "seq": 2, "at": "2027-01-15T08:00:00.500Z", "type": "step.started", "run_id": "r1",
                        "workflow": "deploy", "step": "build", "attempt": 1,
                    ],
                    [
                        "seq": 4, "at": "2027-01-15T08:01:00.000Z", "type": "step.completed", "run_id": "r1",
                        "workflow": "deploy", "step": "build", "attempt": 1, "status": "completed",
                        "output": ["exit_code": 0],
                    ],
                ]
                let body = try ControlTest.json(response)
                #expect(body == expected)
            }
        }
    }

    @Test func pagesWithAfterAndLimit() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/r1/events?limit=2", method: .get) { response in
                let seqs = try ControlTest.json(response).arrayValue?.map { $0["seq"] }
                #expect(seqs == [1, 2])
            }
            try await client.execute(uri: "/v1/runs/r1/events?after=2&limit=2", method: .get) { response in
                let seqs = try ControlTest.json(response).arrayValue?.map { $0["seq"] }
                #expect(seqs == [4])
            }
            try await client.execute(uri: "/v1/runs/r1/events?after=4", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                #expect(body == [])
            }
        }
    }

    @Test func unknownRunIs404() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/nope/events", method: .get) { response in
                try ControlTest.expectError(response, .notFound, "not_found", "no run with id 'nope'")
            }
        }
    }

    @Test(arguments: [
        ("after=-1", "?after= must be an event sequence number (0 or more), got '-1'"),
        ("after=x", "?after= must be an event sequence number (0 or more), got 'x'"),
        ("limit=0", "?limit= must be a whole number from 1 to 1000, got '0'"),
        ("limit=1001", "?limit= must be a whole number from 1 to 1000, got '1001'"),
        ("since=3", "unknown query parameter 'since' (expected: after, limit)"),
    ])
    func badPagingIs400(query: String, message: String) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/runs/r1/events?\(query)", method: .get) { response in
                try ControlTest.expectError(response, .badRequest, "invalid_input", message)
            }
        }
    }
}
