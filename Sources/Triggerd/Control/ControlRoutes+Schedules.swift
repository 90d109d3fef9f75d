import Engine
import Foundation
import Hummingbird

extension ControlRoutes {
    /// Slots one ledger page shows unless `?limit=` says otherwise.
    static let ledgerPageSize = 50

    /// `GET /v1/schedules`: every cron trigger with next fire, last fire, lateness and misses.
    /// `GET /v1/schedules/{workflow}/{trigger}/ledger?before=&limit=`: one trigger's slots, newest first, each with
    /// its outcome and reason; the trigger is its key (`cron:SCHEDULE@ZONE`, percent-encoded in the path).
    func addScheduleRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/schedules") { request, _ in
            try Self.checkQuery(request, allowed: [])
            return Response.json(.array(try await self.plane.schedules()))
        }
        router.get("/v1/schedules/{workflow}/{trigger}/ledger") { request, context in
            let workflow = try Self.pathParameter("workflow", context)
            let trigger = try Self.pathParameter("trigger", context)
            let (before, limit) = try Self.ledgerPage(request)
            let slots = try await self.plane.scheduleLedger(workflow: workflow, trigger: trigger, before: before, limit: limit)
            return Response.json(.array(slots.map(\.json)))
        }
    }

    /// `?before=` (an RFC 3339 time: slots scheduled strictly earlier) and `?limit=` (1–1000, default 50).
    static func ledgerPage(_ request: Request) throws -> (before: Date?, limit: Int) {
        try self.checkQuery(request, allowed: ["before", "limit"])
        var before: Date?
        if let text = self.query("before", request) {
            guard let date = Timestamp.parse(text) else {
                throw EngineError(
                    .invalidInput,
                    "?before= must be an RFC 3339 time such as 2026-01-15T08:00:00Z (the last slot of a page), got '\(text)'")
            }
            before = date
        }
        var limit = self.ledgerPageSize
        if let text = self.query("limit", request) {
            guard let value = Int(text), (1...self.maxRunLimit).contains(value) else {
                throw EngineError(.invalidInput, "?limit= must be a whole number from 1 to \(self.maxRunLimit), got '\(text)'")
            }
            limit = value
        }
        return (before, limit)
    }
}
