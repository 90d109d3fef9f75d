import Engine
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import Triggerd

/// Builds control servers over a `FakeControlPlane` for router tests, with a fixed peer in place of SO_PEERCRED.
enum ControlTest {
    /// The daemon's uid in router tests.
    static let daemonUID = 4242
    /// A peer the policy allows: the daemon's own user.
    static let daemonPeer = PeerIdentity(uid: 4242, user: "triggerd", groups: ["triggerd"])

    static var logger: Logger {
        var logger = Logger(label: "triggerd.test")
        logger.logLevel = .critical
        return logger
    }

    static func server(
        _ plane: FakeControlPlane,
        peer: PeerIdentity = daemonPeer,
        socketGroup: String? = nil
    ) throws -> ControlServer {
        try ControlServer(
            plane: plane,
            socketPath: "/nonexistent/control.sock",
            socketGroup: socketGroup,
            logger: self.logger,
            daemonUID: self.daemonUID,
            identifyPeer: { _ in peer }
        )
    }

    /// The response body parsed as JSON.
    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(String(buffer: response.body))
    }

    /// The error shape of SPEC §8.
    static func errorBody(_ code: String, _ message: String) -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message)]]
    }

    /// Checks that `response` is the JSON error `{"error": {"code", "message"}}` with `status`.
    static func expectError(
        _ response: TestResponse,
        _ status: HTTPResponse.Status,
        _ code: String,
        _ message: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let body = try self.json(response)
        #expect(body == self.errorBody(code, message), sourceLocation: sourceLocation)
    }

    /// `text` as a request body.
    static func body(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text)
    }
}
