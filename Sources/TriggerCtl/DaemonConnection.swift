import Engine

/// The control API as `triggerctl` uses it: one request and one answer, or a stream of events.
///
/// `SocketConnection` talks to `triggerd` over its Unix socket; tests use a fake that answers from a table.
protocol DaemonConnection: Sendable {
    /// The socket this connection talks to, for messages.
    var socketPath: String { get }

    /// Sends `request` and returns the answer, whatever its status.
    ///
    /// - Throws: `CtlFailure.unreachable` (exit 3) when no answer came.
    func send(_ request: ControlRequest) async throws(CtlFailure) -> ControlReply

    /// Opens a Server-Sent Events stream and calls `onEvent` for each event, in order, until `onEvent`
    /// returns false or the daemon ends the stream.
    ///
    /// - Throws: `CtlFailure.unreachable` when the daemon did not answer, `CtlFailure.failed` for a
    ///   4xx/5xx answer, and whatever `onEvent` throws.
    func stream(_ request: ControlRequest, onEvent: (ServerSentEvent) async throws -> Bool) async throws
}

extension DaemonConnection {
    /// Sends `request` and returns the answer's JSON.
    ///
    /// - Throws: `CtlFailure`: unreachable (exit 3), or the daemon's error message for a 4xx/5xx (exit 1).
    func json(_ request: ControlRequest) async throws(CtlFailure) -> JSONValue {
        try await self.send(request).json()
    }
}
