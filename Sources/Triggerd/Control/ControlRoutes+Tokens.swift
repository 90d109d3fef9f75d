import Engine
import Hummingbird

extension ControlRoutes {
    /// Console tokens (SPEC §11): `POST /v1/tokens {"name", "role"}` → 201 `{"name", "role", "token"}` (the only
    /// time the token is shown), `GET /v1/tokens`, `POST /v1/tokens/{name}/revoke`. Socket peers manage tokens.
    func addTokenRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/tokens") { request, _ in
            try Self.checkQuery(request, allowed: [])
            return Response.json(.array(try await self.plane.tokens().map(\.json)))
        }
        router.post("/v1/tokens") { request, context in
            let body = try await JSONRequestBody.read(request, context: context, allowed: ["name", "role"])
            guard let name = try body.string("name"), !name.isEmpty else {
                throw EngineError(.invalidInput, "'name' is required: the token's name, e.g. ci-bot")
            }
            let roles = ConsoleToken.Role.allCases.map(\.rawValue).joined(separator: ", ")
            guard let text = try body.string("role"), let role = ConsoleToken.Role(rawValue: text) else {
                throw EngineError(.invalidInput, "'role' must be one of: \(roles)")
            }
            let creator = context.peer?.user ?? "unknown"
            let token = try await self.plane.createToken(name: name, role: role, by: creator)
            return Response.json(
                ["name": .string(name), "role": .string(role.rawValue), "token": .string(token)],
                status: .created
            )
        }
        router.post("/v1/tokens/{name}/revoke") { request, context in
            let name = try Self.pathParameter("name", context)
            _ = try await JSONRequestBody.read(request, context: context, allowed: [])
            try await self.plane.revokeToken(name: name)
            return Response.json(["name": .string(name), "revoked": true])
        }
    }
}
