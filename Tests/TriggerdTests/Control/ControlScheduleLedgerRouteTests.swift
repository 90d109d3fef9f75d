import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

/// `GET /v1/schedules/{workflow}/{trigger}/ledger` and `GET /v1/runs?trigger=`.
@Suite("Control API: schedule ledger and the trigger-kind filter")
struct ControlScheduleLedgerRouteTests {
    /// `cron:0 2 * * *@UTC` as one path segment.
    static let keySegment = "cron%3A0%202%20%2A%20%2A%20%2A%40UTC"

    @Test func theLedgerListsSlotsNewestFirstWithOutcomeAndReason() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/schedules/nightly/\(Self.keySegment)/ledger", method: .get) { response in
                #expect(response.status == .ok)
                let body = try ControlTest.json(response)
                let expected: JSONValue = [
                    [
                        "workflow": "nightly", "trigger": "cron:0 2 * * *@UTC", "scheduled_at": "2027-01-15T02:00:00.000Z",
                        "fired_at": "2027-01-15T02:00:00.004Z", "handled_at": "2027-01-15T02:00:00.004Z",
                        "lateness_seconds": 0.004, "outcome": "started", "run_id": "r1", "reason": "on time",
                    ],
                    [
                        "workflow": "nightly", "trigger": "cron:0 2 * * *@UTC", "scheduled_at": "2027-01-14T02:00:00.000Z",
                        "fired_at": nil, "handled_at": "2027-01-14T02:00:00.000Z", "lateness_seconds": 0,
                        "outcome": "skipped", "run_id": nil, "reason": "skipped: run r0 still active (overlap: skip)",
                    ],
                    [
                        "workflow": "nightly", "trigger": "cron:0 2 * * *@UTC", "scheduled_at": "2027-01-13T02:00:00.000Z",
                        "fired_at": nil, "handled_at": "2027-01-13T09:00:00.000Z", "lateness_seconds": 25200,
                        "outcome": "missed", "run_id": nil,
                        "reason": "missed during downtime; catch_up: none fires no missed slot",
                    ],
                ]
                #expect(body == expected)
            }
            // The next page: before the last slot shown.
            try await client.execute(
                uri: "/v1/schedules/nightly/\(Self.keySegment)/ledger?before=2027-01-14T02:00:00Z&limit=5",
                method: .get
            ) { response in
                let body = try ControlTest.json(response)
                #expect(body.arrayValue?.map { $0["outcome"] } == ["missed"])
            }
        }
        let queries = await plane.ledgerQueries
        #expect(
            queries == [
                .init(workflow: "nightly", trigger: "cron:0 2 * * *@UTC", before: nil, limit: 50),
                .init(
                    workflow: "nightly", trigger: "cron:0 2 * * *@UTC", before: Timestamp.parse("2027-01-14T02:00:00Z"),
                    limit: 5),
            ])
    }

    @Test(arguments: [
        ("/v1/schedules/nightly/\(keySegment)/ledger?before=yesterday", 400, "invalid_input",
         "?before= must be an RFC 3339 time such as 2026-01-15T08:00:00Z (the last slot of a page), got 'yesterday'"),
        ("/v1/schedules/nightly/\(keySegment)/ledger?limit=0", 400, "invalid_input",
         "?limit= must be a whole number from 1 to 1000, got '0'"),
        ("/v1/schedules/nightly/\(keySegment)/ledger?after=x", 400, "invalid_input",
         "unknown query parameter 'after' (expected: before, limit)"),
        ("/v1/schedules/nightly/cron%3Anope/ledger", 404, "not_found", "workflow 'nightly' has no cron trigger 'cron:nope'"),
    ])
    func badLedgerRequestsAreRefused(uri: String, status: Int, code: String, message: String) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                try ControlTest.expectError(response, .init(code: status), code, message)
            }
        }
    }

    @Test func runsFilterByTriggerKindOnTheServer() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            for kind in TriggerKind.allCases {
                try await client.execute(uri: "/v1/runs?trigger=\(kind.rawValue)&limit=5&before=r1", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/runs?trigger=ftp", method: .get) { response in
                try ControlTest.expectError(
                    response, .badRequest, "invalid_input",
                    "unknown trigger kind 'ftp' in ?trigger= (expected one of: manual, cron, webhook, event, retry, replay)")
            }
        }
        let queries = await plane.queries
        #expect(queries == TriggerKind.allCases.map { RunQuery(limit: 5, before: "r1", triggerType: $0.rawValue) })
    }
}
