import Engine
import Hummingbird

extension ControlRoutes {
    /// A workflow's stored versions (`GET .../versions`, `GET .../versions/{version}` with the source) and its dry
    /// run (`POST .../test`).
    func addWorkflowRoutes(to router: Router<ControlRequestContext>) {
        router.get("/v1/workflows/{name}/versions") { request, context in
            try Self.checkQuery(request, allowed: [])
            let name = try Self.pathParameter("name", context)
            let versions = try await Self.versions(of: name, plane: self.plane)
            return Response.json(.array(versions.map(\.json)))
        }
        router.get("/v1/workflows/{name}/versions/{version}") { request, context in
            try Self.checkQuery(request, allowed: [])
            let name = try Self.pathParameter("name", context)
            let version = try Self.pathParameter("version", context)
            return Response.json(try await Self.version(version, of: name, plane: self.plane).json)
        }
        router.post("/v1/workflows/{name}/test") { request, context in
            let name = try Self.pathParameter("name", context)
            let body = try await JSONRequestBody.read(
                request, context: context, allowed: ["input", "trigger", "mocks", "failures"])
            let report = try await self.plane.dryRun(workflow: name, try Self.dryRunRequest(body))
            return Response.json(report.json)
        }
    }

    /// The versions of `name`, or a 404 naming it.
    static func versions(of name: String, plane: any ControlPlane) async throws -> [WorkflowVersion] {
        guard let versions = try await plane.workflowVersions(name: name) else {
            throw EngineError(.notFound, "no workflow named '\(name)'")
        }
        return versions
    }

    /// One version of `name` with its source, or a 404 naming what is missing.
    static func version(_ version: String, of name: String, plane: any ControlPlane) async throws -> WorkflowVersion {
        if let found = try await plane.workflowVersion(name: name, version: version) { return found }
        _ = try await self.versions(of: name, plane: plane)
        throw EngineError(.notFound, "workflow '\(name)' has no stored version '\(version)'")
    }

    /// `{"input"?, "trigger"?, "mocks"?: {STEP: OUTPUT}, "failures"?: {STEP: MESSAGE}}`.
    static func dryRunRequest(_ body: JSONRequestBody) throws -> DryRunRequest {
        var request = DryRunRequest(input: try body.object("input") ?? .object([:]), trigger: try body.object("trigger"))
        request.mocks = try body.object("mocks")?.objectValue ?? [:]
        for (step, message) in try body.object("failures")?.objectValue ?? [:] {
            guard let text = message.stringValue else {
                throw EngineError(.invalidInput, "'failures.\(step)' in request body must be a string (the failure's message)")
            }
            request.failures[step] = text
        }
        return request
    }
}
