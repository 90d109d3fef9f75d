import Engine
import Hummingbird

extension ControlRoutes {
    func addApprovalRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/approvals") { request, _ in
            try Self.checkQuery(request, allowed: [])
            return Response.json(.array(try await self.plane.approvals().map(\.json)))
        }
        for (verb, approve) in [("approve", true), ("reject", false)] {
            router.post("/v1/runs/{id}/\(verb)") { request, context in
                try await self.decide(request, context, step: nil, approve: approve)
            }
            router.post("/v1/runs/{id}/steps/{step}/\(verb)") { request, context in
                try await self.decide(request, context, step: try Self.pathParameter("step", context), approve: approve)
            }
        }
    }

    /// Approves or rejects on behalf of the socket peer; the plane checks the step's `approvers`.
    private func decide(
        _ request: Request,
        _ context: ControlRequestContext,
        step: String?,
        approve: Bool
    ) async throws -> Response {
        let runID = try Self.pathParameter("id", context)
        let body = try await JSONRequestBody.read(request, context: context, allowed: ["comment"])
        let comment = try body.string("comment")
        guard let peer = context.peer else {
            // PeerAccessMiddleware sets the peer for every route; reaching here without one is a wiring bug.
            throw EngineError(.internal, "the peer of this request was not identified")
        }
        let decision = try await self.plane.decide(
            runID: runID,
            stepID: step,
            approve: approve,
            comment: comment,
            by: peer
        )
        return .json(decision.json)
    }
}
