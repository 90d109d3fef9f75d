extension StatusSnapshot {
    /// What `GET /v1/status` answers:
    /// `{"version", "started_at", "uptime_seconds", "workflows_loaded", "load_errors": [{"file", "message"}],
    /// "run_counts": {"pending": 0, ...}, "pending_approvals", "next_fires", "listen", "socket", "secrets_error"}`.
    ///
    /// `run_counts` names every run status, with 0 for those the engine did not count, so clients need no defaults.
    public var json: JSONValue {
        var counts: [String: JSONValue] = [:]
        for status in RunStatus.allCases {
            counts[status.rawValue] = .number(Double(self.runCounts[status] ?? 0))
        }
        return .object([
            "version": .string(self.version),
            "started_at": .string(Timestamp.format(self.startedAt)),
            "uptime_seconds": .number(self.uptimeSeconds),
            "workflows_loaded": .number(Double(self.workflowsLoaded)),
            "load_errors": .array(self.loadErrors.map(\.json)),
            "run_counts": .object(counts),
            "pending_approvals": .number(Double(self.pendingApprovals)),
            "next_fires": .array(self.nextFires),
            "listen": .string(self.listen),
            "socket": .string(self.socket),
            "secrets_error": self.secretsError.map { .string($0) } ?? .null,
        ])
    }
}
