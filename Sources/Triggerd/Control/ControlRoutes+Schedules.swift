import Engine
import Hummingbird

extension ControlRoutes {
    /// `GET /v1/schedules`: every cron trigger with next fire, last fire, lateness and misses.
    func addScheduleRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/schedules") { request, _ in
            try Self.checkQuery(request, allowed: [])
            return Response.json(.array(try await self.plane.schedules()))
        }
    }
}
