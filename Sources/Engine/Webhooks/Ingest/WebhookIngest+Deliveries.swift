extension WebhookIngest {
    /// Recent deliveries, newest first, with what became of each (`GET /v1/deliveries`).
    public func deliveries(workflow: String?, limit: Int) async throws -> [JSONValue] {
        try await Self.deliveries(in: self.engine.store, workflow: workflow, limit: limit)
    }

    /// Recent deliveries stored in `store`, newest first; `limit` is clamped to 1...1000.
    public static func deliveries(in store: Store, workflow: String?, limit: Int) async throws -> [JSONValue] {
        let bounded = min(max(limit, 1), 1000)
        return try await store.read { db in try DeliveryRows.list(db, workflow: workflow, limit: bounded) }
    }
}
