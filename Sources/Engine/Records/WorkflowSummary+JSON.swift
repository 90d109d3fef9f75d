extension WorkflowSummary {
    /// `{"name", "description", "file", "version", "triggers", "steps", "load_error"}` as `GET /v1/workflows` lists
    /// it; `version` is `null` for a file that never loaded.
    public var json: JSONValue {
        .object([
            "name": .string(self.name),
            "description": .orNull(self.description),
            "file": .string(self.file),
            "version": .orNull(self.version),
            "triggers": .array(self.triggers),
            "steps": .strings(self.steps),
            "load_error": .orNull(self.loadError),
        ])
    }
}
