import Engine
import HTTPTypes
import Hummingbird
import NIOCore

/// The listener's one catch-all route: `GET /healthz`, `GET /metrics`, and every other request to the ingest,
/// which knows the current workflow paths (a reload changes them without restarting the listener).
///
/// Bodies are read only after the ingest accepted the path and method, and never past the endpoint's
/// `max_body`: a `Content-Length` over the limit answers 413 before any body byte is read, and a chunked body
/// is abandoned the moment it crosses the limit. A body still arriving `bodyTimeout` seconds after its head (a
/// client trickling it to hold the connection) is abandoned the same way, with 408.
struct WebhookResponder: HTTPResponder {
    typealias Context = WebhookRequestContext

    let ingest: WebhookIngest
    let metrics: Metrics
    /// Seconds a body may take after its head (`ingest.idle_timeout`).
    var bodyTimeout: Double = 30

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if request.method == .get {
            if path == "/healthz" { return self.health() }
            if path == "/metrics" { return await self.metricsPage() }
        }
        let limit: Int
        switch self.ingest.preflight(method: request.method.rawValue, path: path) {
        case .answer(let answer): return Self.response(answer)
        case .read(let bodyLimit): limit = bodyLimit
        }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            return Self.refuseLarge(self.ingest.tooLarge(path: path), channel: context.channel)
        }
        var collected = ByteBuffer()
        // Checked as each chunk arrives; a body that stops arriving altogether is the idle timer's to close.
        let deadline = ContinuousClock.now + .nanoseconds(Int64(self.bodyTimeout * 1_000_000_000))
        for try await chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                return Self.refuseLarge(self.ingest.tooLarge(path: path), channel: context.channel)
            }
            guard ContinuousClock.now < deadline else {
                let answer = self.ingest.tooSlow(path: path, seconds: self.bodyTimeout)
                return Self.refuseLarge(answer, channel: context.channel)
            }
            var piece = chunk
            collected.writeBuffer(&piece)
        }
        let delivery = WebhookRequest(
            method: request.method.rawValue,
            path: path,
            headers: Self.headers(request.headers),
            query: WebhookRequest.parseQuery(request.uri.query),
            body: collected.readBytes(length: collected.readableBytes) ?? [],
            remoteAddress: context.remoteAddress
        )
        return Self.response(await self.ingest.handle(delivery))
    }

    /// 200 while serving, 503 once shutdown began (load balancers stop sending).
    private func health() -> Response {
        if self.ingest.isShuttingDown {
            return Self.json(["status": "stopping"], status: .serviceUnavailable)
        }
        return Self.json(["status": "ok"], status: .ok)
    }

    private func metricsPage() async -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: await self.metrics.render()))
        )
    }

    /// Header values by lower-cased name; repeated fields joined with `", "` as HTTP allows.
    static func headers(_ fields: HTTPFields) -> [String: String] {
        var headers: [String: String] = [:]
        headers.reserveCapacity(fields.count)
        for field in fields {
            let name = field.name.canonicalName
            if let earlier = headers[name] {
                headers[name] = earlier + ", " + field.value
            } else {
                headers[name] = field.value
            }
        }
        return headers
    }

    /// The ingest's answer as HTTP: JSON body and its extra headers.
    static func response(_ answer: WebhookAnswer) -> Response {
        var response = self.json(answer.body, status: HTTPResponse.Status(code: answer.status))
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    /// A refusal (413, 408) that ends the connection: `Connection: close`, then a half-close once the answer is
    /// written, so the client sees the end of the stream and stops sending the rest of its body. The output side
    /// only is shut (NIO sends FIN after the pending writes): closing both sides with unread bytes queued would
    /// make the kernel answer with a reset that can destroy the answer on its way.
    static func refuseLarge(_ answer: WebhookAnswer, channel: any Channel) -> Response {
        let bytes = ByteBuffer(string: answer.body.jsonString())
        var headers: HTTPFields = [.contentType: "application/json", .connection: "close"]
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let body = ResponseBody(contentLength: bytes.readableBytes) { writer in
            try await writer.write(bytes)
            try await writer.finish(nil)
            channel.close(mode: .output, promise: nil)
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers, body: body)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonString()))
        )
    }
}
