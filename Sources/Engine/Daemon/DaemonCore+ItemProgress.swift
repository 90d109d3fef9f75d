extension DaemonCore {
    public func itemProgress(runID: String) async throws -> [String: ItemProgress] {
        try await self.engine.store.itemProgress(runID: runID)
    }
}
