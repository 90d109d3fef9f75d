import Engine
import Hummingbird
import NIOCore
import ServiceLifecycle

extension ControlRoutes {
    func addEventRoutes(to router: Router<ControlRequestContext>) {
        router.post("/v1/events") { request, context in
            let body = try await JSONRequestBody.read(request, context: context, allowed: ["name", "key", "data"])
            guard let name = try body.string("name"), !name.isEmpty else {
                throw EngineError(.invalidInput, "request body needs a non-empty 'name' (the event's name)")
            }
            let key = try body.string("key")
            // An event without data carries an empty object, so `event.data.x` is null rather than an error.
            let data = body.value("data") ?? .object([:])
            return Response.json(try await self.plane.emit(name: name, key: key, data: data).json)
        }
        router.get("/v1/events/stream") { request, _ in
            try await self.eventStream(request)
        }
    }

    /// Server-Sent Events of SPEC §7: stored events after `after` (or `Last-Event-ID`), then live ones, until the
    /// client goes away, the plane ends the stream, or the daemon shuts down.
    private func eventStream(_ request: Request) async throws -> Response {
        try Self.checkQuery(request, allowed: ["run", "after"])
        let runID = Self.query("run", request)
        var after: Int64 = 0
        // EventSource clients send `Last-Event-ID` when they reconnect.
        let lastID = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        if let text = Self.query("after", request) ?? lastID {
            guard let seq = Int64(text), seq >= 0 else {
                throw EngineError(.invalidInput, "?after= must be an event sequence number (0 or more), got '\(text)'")
            }
            after = seq
        }
        let events = await self.plane.eventStream(after: after, runID: runID)
        let body = ResponseBody { writer in
            for await event in events.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: Self.serverSentEvent(event)))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: body
        )
    }

    /// One SSE frame: `id: <seq>`, `event: <type>`, `data: <event JSON>` and a blank line. Compact JSON never
    /// contains a newline, so the data fits on one `data:` line.
    static func serverSentEvent(_ event: RunEvent) -> String {
        "id: \(event.seq)\nevent: \(event.type.rawValue)\ndata: \(event.json.jsonString())\n\n"
    }
}
