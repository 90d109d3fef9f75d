import Engine
import Hummingbird

extension ControlRoutes {
    /// The most runs one `GET /v1/runs` returns; page with `before=`.
    static let maxRunLimit = 1000
    /// The most events one `GET /v1/runs/{id}/events` returns (also the default); page with `after=`.
    static let maxEventLimit = 1000

    func addRunRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/runs") { request, _ in
            let runs = try await self.plane.runs(try Self.runQuery(request))
            return Response.json(.array(runs.map { $0.json(includeSteps: false) }))
        }
        router.get("/v1/runs/{id}") { _, context in
            let id = try Self.pathParameter("id", context)
            guard let run = try await self.plane.run(id: id) else {
                throw EngineError(.notFound, "no run with id '\(id)'")
            }
            return Response.json(run.json(includeSteps: true))
        }
        router.get("/v1/runs/{id}/events") { request, context in
            let id = try Self.pathParameter("id", context)
            let (after, limit) = try Self.eventPage(request)
            guard let events = try await self.plane.runEvents(runID: id, after: after, limit: limit) else {
                throw EngineError(.notFound, "no run with id '\(id)'")
            }
            return Response.json(.array(events.map(\.json)))
        }
        router.post("/v1/runs/{id}/cancel") { request, context in
            let id = try Self.pathParameter("id", context)
            _ = try await JSONRequestBody.read(request, context: context, allowed: [])
            try await self.plane.cancel(runID: id)
            return Response.json(["run_id": .string(id)])
        }
        router.post("/v1/runs/{id}/retry") { request, context in
            let id = try Self.pathParameter("id", context)
            _ = try await JSONRequestBody.read(request, context: context, allowed: [])
            let newID = try await self.plane.retry(runID: id)
            return Response.json(["run_id": .string(newID), "retry_of": .string(id)], status: .created)
        }
    }

    /// The page of `GET /v1/runs/{id}/events?after=SEQ&limit=`: events after `after` (default 0), at most `limit`
    /// (default and most `maxEventLimit`).
    static func eventPage(_ request: Request) throws -> (after: Int64, limit: Int) {
        try self.checkQuery(request, allowed: ["after", "limit"])
        var after: Int64 = 0
        if let text = self.query("after", request) {
            guard let seq = Int64(text), seq >= 0 else {
                throw EngineError(.invalidInput, "?after= must be an event sequence number (0 or more), got '\(text)'")
            }
            after = seq
        }
        var limit = self.maxEventLimit
        if let text = self.query("limit", request) {
            guard let value = Int(text), (1...self.maxEventLimit).contains(value) else {
                throw EngineError(
                    .invalidInput, "?limit= must be a whole number from 1 to \(self.maxEventLimit), got '\(text)'")
            }
            limit = value
        }
        return (after, limit)
    }

    /// The filters of `GET /v1/runs?workflow=&status=&trigger=&limit=&before=`.
    static func runQuery(_ request: Request) throws -> RunQuery {
        try self.checkQuery(request, allowed: ["workflow", "status", "trigger", "limit", "before"])
        var query = RunQuery()
        query.workflow = self.query("workflow", request)
        if let text = self.query("trigger", request) {
            query.triggerType = try TriggerKind.parse(text, option: "?trigger=").rawValue
        }
        if let text = self.query("status", request) {
            guard let status = RunStatus(rawValue: text) else {
                let known = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw EngineError(.invalidInput, "unknown run status '\(text)' in ?status= (expected one of: \(known))")
            }
            query.status = status
        }
        if let text = self.query("limit", request) {
            guard let limit = Int(text), (1...self.maxRunLimit).contains(limit) else {
                throw EngineError(
                    .invalidInput,
                    "?limit= must be a whole number from 1 to \(self.maxRunLimit), got '\(text)'"
                )
            }
            query.limit = limit
        }
        query.before = self.query("before", request)
        return query
    }
}
