import Engine
import Foundation
import Synchronization

@testable import TriggerCtl

/// Captures what a command writes, so tests compare stdout and stderr in full.
final class CapturedConsole: Console {
    private let text = Mutex<(out: String, err: String)>(("", ""))

    func out(_ text: String) { self.text.withLock { $0.out += text } }
    func err(_ text: String) { self.text.withLock { $0.err += text } }

    var stdout: String { self.text.withLock { $0.out } }
    var stderr: String { self.text.withLock { $0.err } }
}

/// A daemon that answers from a table keyed by `METHOD path`, streams canned events, and records requests.
final class FakeDaemon: DaemonConnection {
    let socketPath: String
    private let answers: [String: ControlReply]
    private let events: [JSONValue]
    private let unreachableReason: String?
    private let log = Mutex<[ControlRequest]>([])

    init(
        socketPath: String = "/run/test.sock",
        answers: [String: ControlReply] = [:],
        events: [JSONValue] = [],
        unreachableReason: String? = nil
    ) {
        self.socketPath = socketPath
        self.answers = answers
        self.events = events
        self.unreachableReason = unreachableReason
    }

    /// Every request sent so far, in order (streams included).
    var requests: [ControlRequest] { self.log.withLock { $0 } }

    func send(_ request: ControlRequest) async throws(CtlFailure) -> ControlReply {
        self.log.withLock { $0.append(request) }
        if let reason = self.unreachableReason { throw .unreachable(socket: self.socketPath, reason: reason) }
        return self.answers["\(request.method) \(request.path)"] ?? ControlReply(status: 404)
    }

    func stream(_ request: ControlRequest, onEvent: (ServerSentEvent) async throws -> Bool) async throws {
        self.log.withLock { $0.append(request) }
        if let reason = self.unreachableReason { throw CtlFailure.unreachable(socket: self.socketPath, reason: reason) }
        for (index, event) in self.events.enumerated() {
            let sse = ServerSentEvent(
                id: String(index + 1),
                event: event["type"]?.stringValue ?? "message",
                data: event.jsonString()
            )
            if try await !onEvent(sse) { return }
        }
    }
}

/// What one `triggerctl` invocation did.
struct Outcome: Equatable {
    var code: Int32
    var stdout: String
    var stderr: String
    /// The socket paths the command connected to.
    var sockets: [String] = []
}

/// Runs `triggerctl ARGS` in a test context: no terminal, fixed clock, the given daemon and environment.
func triggerctl(
    _ arguments: [String],
    daemon: FakeDaemon = FakeDaemon(),
    environment: [String: String] = [:],
    now: Date = Date(timeIntervalSince1970: 1_795_683_600),  // 2026-11-26T09:00:00Z
    workingDirectory: String = "/work",
    http: @escaping @Sendable (WebhookPost) async throws -> ControlReply = { _ in
        throw CtlFailure.failed("no HTTP in this test")
    }
) async -> Outcome {
    let console = CapturedConsole()
    let sockets = Mutex<[String]>([])
    let context = CtlContext(
        environment: environment,
        stdoutIsTerminal: false,
        console: console,
        connect: { path in
            sockets.withLock { $0.append(path) }
            return daemon
        },
        now: { now },
        workingDirectory: workingDirectory,
        readStandardInput: { Array("from stdin".utf8) },
        postWebhook: http
    )
    let code = await CtlContext.$current.withValue(context) { await TriggerCtl.execute(arguments) }
    return Outcome(code: code, stdout: console.stdout, stderr: console.stderr, sockets: sockets.withLock { $0 })
}

/// A JSON answer.
func reply(_ value: JSONValue, status: Int = 200) -> ControlReply { ControlReply(status: status, json: value) }

/// The daemon's error shape.
func errorReply(_ status: Int, _ code: String, _ message: String) -> ControlReply {
    reply(["error": ["code": .string(code), "message": .string(message)]], status: status)
}
