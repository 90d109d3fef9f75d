import Engine
import Hummingbird

extension ControlRoutes {
    /// `GET /v1/deliveries?workflow=&limit=`: recent webhook deliveries, newest first (default 100, at most 1000).
    func addDeliveryRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/deliveries") { request, _ in
            try Self.checkQuery(request, allowed: ["workflow", "limit"])
            var limit = 100
            if let text = Self.query("limit", request) {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw EngineError(.invalidInput, "?limit= must be a number from 1 to 1000, got '\(text)'")
                }
                limit = value
            }
            let deliveries = try await self.plane.deliveries(workflow: Self.query("workflow", request), limit: limit)
            return Response.json(.array(deliveries))
        }
        // A new run from a stored delivery, its trigger marked `replay_of` → 201 {"run_id", "replay_of"}.
        router.post("/v1/deliveries/{id}/replay") { request, context in
            let id = try Self.pathParameter("id", context)
            _ = try await JSONRequestBody.read(request, context: context, allowed: [])
            let runID = try await self.plane.replay(deliveryID: id)
            return Response.json(["run_id": .string(runID), "replay_of": .string(id)], status: .created)
        }
    }
}
