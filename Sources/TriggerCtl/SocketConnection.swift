import Engine
import Foundation
import Steps

/// A `DaemonConnection` over the daemon's Unix socket, through libcurl (`CurlTransport`).
struct SocketConnection: DaemonConnection {
    let socketPath: String
    private let transport: CurlTransport

    init(socketPath: String) {
        self.socketPath = socketPath
        self.transport = CurlTransport(maxConnectionsPerHost: 4, userAgent: "triggerctl")
    }

    func send(_ request: ControlRequest) async throws(CtlFailure) -> ControlReply {
        do {
            let response = try await self.transport.send(self.httpRequest(request, stream: false))
            return ControlReply(status: response.status, body: response.body)
        } catch {
            throw self.unreachable(error)
        }
    }

    func stream(_ request: ControlRequest, onEvent: (ServerSentEvent) async throws -> Bool) async throws {
        let (chunks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let transport = self.transport
        let http = self.httpRequest(request, stream: true)
        try await withThrowingTaskGroup(of: HTTPStepResponse.self) { group in
            group.addTask {
                defer { continuation.finish() }
                return try await transport.stream(http) { chunk in continuation.yield(chunk) }
            }
            var parser = ServerSentEventParser()
            // The first bytes are kept so that a 4xx/5xx answer (a JSON error, not events) can be explained.
            var head: [UInt8] = []
            for await chunk in chunks {
                if head.count < 4096 { head += chunk.prefix(4096 - head.count) }
                for event in parser.feed(chunk) where try await !onEvent(event) {
                    // Cancelling the transfer closes the connection; the child's CancellationError is discarded.
                    group.cancelAll()
                    return
                }
            }
            let response: HTTPStepResponse?
            do {
                response = try await group.next()
            } catch {
                throw self.unreachable(error)
            }
            if let response, !(200..<300).contains(response.status) {
                throw ControlReply(status: response.status, body: head).failure
            }
        }
    }

    private func httpRequest(_ request: ControlRequest, stream: Bool) -> HTTPStepRequest {
        var headers = [HTTPHeader(name: "Accept", value: stream ? "text/event-stream" : "application/json")]
        var body: [UInt8]?
        if let value = request.body {
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            body = Array(value.jsonString().utf8)
        }
        return HTTPStepRequest(
            method: request.method,
            // The host only fills the Host header; the socket decides where the request goes.
            url: "http://localhost" + request.path,
            headers: headers,
            body: body,
            timeout: stream ? 0 : request.timeout,
            connectTimeout: 10,
            unixSocketPath: self.socketPath
        )
    }

    /// Exit 3 with the most useful reason: what is wrong with the socket file if something is,
    /// otherwise what the transfer reported.
    private func unreachable(_ error: any Error) -> CtlFailure {
        if let failure = error as? CtlFailure { return failure }
        if let problem = Self.socketProblem(self.socketPath) {
            return .unreachable(socket: self.socketPath, reason: problem)
        }
        let reason: String
        switch (error as? TransportError)?.code {
        case .connect?: reason = "connection refused (nothing is listening on the socket)"
        case .timeout?: reason = "no answer in time"
        default: reason = (error as? TransportError)?.message ?? "\(error)"
        }
        return .unreachable(socket: self.socketPath, reason: reason)
    }

    /// A short reason when the socket file is missing, is not a socket, or may not be written; nil when
    /// it looks usable.
    static func socketProblem(_ path: String) -> String? {
        let files = FileManager.default
        guard let attributes = try? files.attributesOfItem(atPath: path) else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, !files.fileExists(atPath: directory) { return "no such directory \(directory)" }
            return files.fileExists(atPath: path) ? "permission denied" : "no such socket"
        }
        guard attributes[.type] as? FileAttributeType == .typeSocket else { return "not a socket" }
        guard files.isWritableFile(atPath: path) else {
            return "permission denied (the socket is for root, the daemon's user and its admin group)"
        }
        return nil
    }
}
