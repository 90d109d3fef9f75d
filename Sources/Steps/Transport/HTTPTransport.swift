/// The only HTTP surface steps see: one request in, one response out.
///
/// `CurlTransport` is the production implementation; tests of steps use a fake.
/// The transport never judges the status code: a 404 or 500 is a normal response, and deciding
/// whether it fails the step is the caller's job (`expect_status`).
///
/// ```swift
/// let response = try await transport.send(HTTPStepRequest(method: "GET", url: "https://api.example.com/issues/12"))
/// if response.status == 200 { print(String(decoding: response.body, as: UTF8.self)) }
/// ```
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response.
    ///
    /// - Throws: `TransportError` when the exchange itself failed (connect, timeout, size cap, redirects,
    ///   bad request); `CancellationError` when the calling task is cancelled, in which case the
    ///   transfer is stopped and its connection closed before the call returns.
    func send(_ request: HTTPStepRequest) async throws -> HTTPStepResponse
}

/// A transport that can also deliver a response body piece by piece, for Server-Sent Events.
public protocol StreamingHTTPTransport: HTTPTransport {
    /// Sends `request` and hands each body chunk to `onChunk` as it arrives, in order, until the server
    /// ends the response or the task is cancelled.
    ///
    /// `onChunk` runs on the transport's I/O thread: it must return quickly and never block (append to a
    /// buffer or yield to an `AsyncStream`). `maxResponseBytes` does not apply to streams, and a
    /// `timeout` of 0 means the stream may stay open indefinitely.
    ///
    /// - Returns: the status and headers; `body` is empty because every byte went to `onChunk`.
    /// - Throws: as `send(_:)`; cancelling the task throws `CancellationError`.
    func stream(_ request: HTTPStepRequest, onChunk: @escaping @Sendable ([UInt8]) -> Void) async throws
        -> HTTPStepResponse
}
