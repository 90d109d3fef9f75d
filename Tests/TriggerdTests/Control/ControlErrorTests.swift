import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: errors and access")
struct ControlErrorTests {
    @Test(arguments: [
        ("busy", HTTPResponse.Status.tooManyRequests, "too_busy", "the ingest queue is full"),
        ("closing", .serviceUnavailable, "unavailable", "triggerd is shutting down"),
        ("oops", .internalServerError, "internal", "the store failed"),
        ("denied", .forbidden, "forbidden", "not an approver"),
        ("broken", .internalServerError, "internal", "internal error: disk on fire"),
    ])
    func engineErrorCodesPickTheStatus(
        name: String,
        status: HTTPResponse.Status,
        code: String,
        message: String
    ) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/events",
                method: .post,
                body: ControlTest.body(#"{"name": "\#(name)"}"#)
            ) { response in
                try ControlTest.expectError(response, status, code, message)
            }
        }
    }

    @Test func unknownRoutesAndMethodsAre404Json() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/nope", method: .get) { response in
                try ControlTest.expectError(
                    response,
                    .notFound,
                    "not_found",
                    "no such endpoint: GET /v1/nope"
                )
            }
            try await client.execute(uri: "/v1/status", method: .delete) { response in
                try ControlTest.expectError(
                    response,
                    .notFound,
                    "not_found",
                    "no such endpoint: DELETE /v1/status"
                )
            }
            try await client.execute(uri: "/status", method: .get) { response in
                try ControlTest.expectError(
                    response,
                    .notFound,
                    "not_found",
                    "no such endpoint: GET /status (the control API is under /v1/)"
                )
            }
        }
    }

    @Test func oversizedBodyIs413Json() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        let huge = #"{"name": "x", "data": ""# + String(repeating: "a", count: 1 << 20) + #""}"#
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/events", method: .post, body: ControlTest.body(huge)) { response in
                try ControlTest.expectError(
                    response,
                    .contentTooLarge,
                    "invalid_input",
                    "request body is larger than 1048576 bytes"
                )
            }
        }
    }

    @Test func peerOutsideThePolicyIsRefusedBeforeAnyRoute() async throws {
        let plane = FakeControlPlane()
        let stranger = PeerIdentity(uid: 1001, user: "bob", groups: ["bob", "users"])
        let app = try ControlTest.server(plane, peer: stranger).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/events", method: .post, body: ControlTest.body(#"{"name": "x"}"#)) {
                response in
                try ControlTest.expectError(
                    response,
                    .forbidden,
                    "forbidden",
                    "control socket refused: uid 1001 (bob) is not root or the daemon's user, and no socket_group is configured"
                )
            }
            // Unknown routes are refused too: a stranger learns nothing about the API.
            try await client.execute(uri: "/v1/nope", method: .get) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(await plane.emitted.isEmpty)
    }

    @Test func membersOfTheSocketGroupAreAllowed() async throws {
        // "root" exists on every Linux system, so the server's group lookup succeeds.
        let member = PeerIdentity(uid: 1001, user: "bob", groups: ["bob", "root"])
        let outsider = PeerIdentity(uid: 1002, user: "eve", groups: ["eve"])
        let allowed = try ControlTest.server(FakeControlPlane(), peer: member, socketGroup: "root").makeApplication()
        try await allowed.test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        let refused = try ControlTest.server(FakeControlPlane(), peer: outsider, socketGroup: "root").makeApplication()
        try await refused.test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                try ControlTest.expectError(
                    response,
                    .forbidden,
                    "forbidden",
                    "control socket refused: uid 1002 (eve) is not root, the daemon's user, or a member of group 'root'"
                )
            }
        }
    }

    @Test func anUnidentifiablePeerIsRefused() async throws {
        struct NoCredentials: Error, CustomStringConvertible {
            var description: String { "not a socket" }
        }
        let server = try ControlServer(
            plane: FakeControlPlane(),
            socketPath: "/nonexistent/control.sock",
            socketGroup: nil,
            logger: ControlTest.logger,
            daemonUID: ControlTest.daemonUID,
            identifyPeer: { _ in throw NoCredentials() }
        )
        try await server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                try ControlTest.expectError(
                    response,
                    .forbidden,
                    "forbidden",
                    "control socket refused: cannot identify the peer of this connection (not a socket)"
                )
            }
        }
    }

    @Test func aSocketGroupThatDoesNotExistStopsTheServerAtInit() throws {
        let error = #expect(throws: EngineError.self) {
            try ControlTest.server(FakeControlPlane(), socketGroup: "no-such-group-triggerd-test")
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "socket_group 'no-such-group-triggerd-test' is not a group on this system")
    }
}
