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
    }
}
