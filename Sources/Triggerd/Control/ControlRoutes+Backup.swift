import Engine
import Hummingbird

extension ControlRoutes {
    /// `POST /v1/backup {"path"}` → `{"path", "bytes", "at"}`: an online copy of the database, written by the
    /// daemon (so `path` is absolute and somewhere the daemon's user may write).
    func addBackupRoutes(to router: Router<ControlRequestContext>) {
        router.post("/v1/backup") { request, context in
            let body = try await JSONRequestBody.read(request, context: context, allowed: ["path"])
            guard let path = try body.string("path"), !path.isEmpty else {
                throw EngineError(.invalidInput, "'path' is required: the absolute path of the backup file to write")
            }
            let report = try await self.plane.backup(to: path)
            return Response.json(report.json, status: .created)
        }
    }
}
