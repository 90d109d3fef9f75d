import Engine
import Foundation
import Hummingbird

/// The endpoints of SPEC §8, each a thin translation between HTTP and one `ControlPlane` call.
///
/// Handlers parse and check what the request says (path, query, body), call the plane, and answer with the
/// records' JSON. Failures are thrown as `EngineError` and shaped by `ControlErrorMiddleware`.
struct ControlRoutes: Sendable {
    let plane: any ControlPlane

    /// Registers every endpoint on `router`.
    func add(to router: Router<ControlRequestContext>) {
        router.get("/v1/status") { _, _ in Response.json(try await self.plane.status().json) }
        router.get("/v1/workflows") { _, _ in Response.json(.array(await self.plane.workflows().map(\.json))) }
        router.get("/v1/workflows/{name}") { _, context in try await self.workflow(context) }
        router.post("/v1/workflows/{name}/runs") { request, context in try await self.startRun(request, context) }
        router.post("/v1/reload") { _, _ in Response.json(await self.plane.reload().json) }
        self.addWorkflowRoutes(to: router)
        self.addRunRoutes(to: router)
        self.addApprovalRoutes(to: router)
        self.addEventRoutes(to: router)
        self.addScheduleRoutes(to: router)
        self.addDeliveryRoutes(to: router)
        self.addBackupRoutes(to: router)
        self.addTokenRoutes(to: router)
    }

    private func workflow(_ context: ControlRequestContext) async throws -> Response {
        let name = try Self.pathParameter("name", context)
        guard let summary = await self.plane.workflow(named: name) else {
            throw EngineError(.notFound, "no workflow named '\(name)'")
        }
        return .json(summary.json)
    }

    private func startRun(_ request: Request, _ context: ControlRequestContext) async throws -> Response {
        let name = try Self.pathParameter("name", context)
        let body = try await JSONRequestBody.read(request, context: context, allowed: ["input"])
        let input = try body.object("input") ?? .object([:])
        let runID = try await self.plane.startRun(workflow: name, input: input)
        return .json(["run_id": .string(runID)], status: .created)
    }

    /// The path parameter `name`, percent-decoded (the router matches the raw path).
    static func pathParameter(_ name: String, _ context: ControlRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    /// Refuses query parameters the endpoint does not know, so that a misspelt filter is not silently ignored.
    static func checkQuery(_ request: Request, allowed: [String]) throws {
        for (key, _) in request.uri.queryParameters where !allowed.contains(String(key)) {
            let expected = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
            throw EngineError(.invalidInput, "unknown query parameter '\(key)' (expected: \(expected))")
        }
    }

    /// The query parameter `name`, or nil when absent or empty (`?workflow=` means no filter).
    static func query(_ name: String, _ request: Request) -> String? {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }
}
