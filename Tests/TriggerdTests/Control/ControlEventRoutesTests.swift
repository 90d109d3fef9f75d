import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: events")
struct ControlEventRoutesTests {
    @Test func emitAnswersWhichRunsResumedAndStarted() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/events",
                method: .post,
                body: ControlTest.body(#"{"name": "payment.received", "key": "o-1", "data": {"amount": 5}}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"event_id":"e-1","resumed":["r1"],"started":["r-new"]}"#)
            }
            try await client.execute(
                uri: "/v1/events",
                method: .post,
                body: ControlTest.body(#"{"name": "ping"}"#)
            ) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(
            await plane.emitted == [
                .init(name: "payment.received", key: "o-1", data: ["amount": 5]),
                .init(name: "ping", key: nil, data: [:]),
            ]
        )
    }

    @Test(arguments: [
        ("", "request body needs a non-empty 'name' (the event's name)"),
        (#"{"name": ""}"#, "request body needs a non-empty 'name' (the event's name)"),
        (#"{"name": "x", "key": 1}"#, "'key' in request body must be a string, got a number"),
        (#"{"name": "x", "payload": {}}"#, "unknown field 'payload' in request body (expected: name, key, data)"),
    ])
    func emitRefusesBadBodies(body: String, message: String) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/events", method: .post, body: ControlTest.body(body)) { response in
                try ControlTest.expectError(response, .badRequest, "invalid_input", message)
            }
        }
    }

    @Test func streamSendsServerSentEventsOfOneRunAfterASequence() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/events/stream?run=r1&after=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(
                    String(buffer: response.body)
                        == "id: 2\nevent: step.started\ndata: "
                        + #"{"at":"2027-01-15T08:00:00.500Z","attempt":1,"run_id":"r1","seq":2,"step":"build","#
                        + #""type":"step.started","workflow":"deploy"}"# + "\n\n"
                        + "id: 4\nevent: step.completed\ndata: "
                        + #"{"at":"2027-01-15T08:01:00.000Z","attempt":1,"output":{"exit_code":0},"run_id":"r1","#
                        + #""seq":4,"status":"completed","step":"build","type":"step.completed","workflow":"deploy"}"#
                        + "\n\n"
                )
            }
        }
        #expect(await plane.streamRequests == [.init(after: 1, runID: "r1")])
    }

    @Test func streamResumesFromLastEventIDAndDefaultsToTheStart() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/events/stream",
                method: .get,
                headers: [.init("Last-Event-ID")!: "3"]
            ) { response in
                #expect(String(buffer: response.body).hasPrefix("id: 4\nevent: step.completed\n"))
            }
            try await client.execute(uri: "/v1/events/stream", method: .get) { response in
                let ids = String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("id: ") }
                #expect(ids == ["id: 1", "id: 2", "id: 3", "id: 4"])
            }
            try await client.execute(uri: "/v1/events/stream?after=-1", method: .get) { response in
                try ControlTest.expectError(
                    response,
                    .badRequest,
                    "invalid_input",
                    "?after= must be an event sequence number (0 or more), got '-1'"
                )
            }
        }
        #expect(await plane.streamRequests == [.init(after: 3, runID: nil), .init(after: 0, runID: nil)])
    }
}
