extension DaemonCore {
    /// The stored versions of workflow `name`, newest first, the loaded one marked `current`; nil when the
    /// daemon knows no such workflow (neither loaded now nor ever stored).
    public func workflowVersions(name: String) async throws -> [WorkflowVersion]? {
        var versions = try await self.engine.store.workflowVersions(name: name)
        let current = self.catalog.byName[name]?.version
        guard !versions.isEmpty || current != nil else { return nil }
        for index in versions.indices where versions[index].version == current { versions[index].current = true }
        return versions
    }

    /// One stored version of workflow `name` with its source (`version` may be a unique prefix of the hash).
    public func workflowVersion(name: String, version: String) async throws -> WorkflowVersion? {
        guard var found = try await self.engine.store.workflowVersion(name: name, version: version) else { return nil }
        found.current = self.catalog.byName[name]?.version == found.version
        return found
    }
}
