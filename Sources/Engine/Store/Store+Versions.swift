public import Foundation
import GRDB

extension Store {
    /// The stored versions of workflow `name` (rows of `workflow_version`), newest first, without their source.
    /// The table holds one row per distinct file content, so it stays small and is read without an index.
    public func workflowVersions(name: String) async throws -> [WorkflowVersion] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT version, name, file, first_loaded_at FROM workflow_version WHERE name = ?
                    ORDER BY first_loaded_at DESC, version
                    """,
                arguments: [name]
            ).map {
                WorkflowVersion(
                    version: $0["version"], name: $0["name"], file: $0["file"],
                    firstLoadedAt: Date(timeIntervalSince1970: $0["first_loaded_at"]))
            }
        }
    }

    /// One version of workflow `name` with its source: `version` is the whole hash or a prefix of it that names
    /// one version (the 12 characters `triggerctl workflows` shows). Nil when none matches; `.invalidInput` when the
    /// prefix matches several.
    public func workflowVersion(name: String, version: String) async throws -> WorkflowVersion? {
        guard !version.isEmpty else { return nil }
        let rows = try await self.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT version, name, file, source, first_loaded_at FROM workflow_version
                    WHERE name = ? AND substr(version, 1, length(?)) = ? ORDER BY version = ? DESC LIMIT 3
                    """,
                arguments: [name, version, version, version]
            ).map {
                WorkflowVersion(
                    version: $0["version"], name: $0["name"], file: $0["file"],
                    firstLoadedAt: Date(timeIntervalSince1970: $0["first_loaded_at"]), source: $0["source"])
            }
        }
        guard let first = rows.first else { return nil }
        if first.version == version || rows.count == 1 { return first }
        throw EngineError(
            .invalidInput, "version '\(version)' of '\(name)' is ambiguous (\(rows.count > 2 ? "several" : "two") versions start with it); give more characters")
    }
}
