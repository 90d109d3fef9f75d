extension StepRecord {
    /// `{"id", "type", "status", "attempts", "started_at", "ended_at", "output", "error", "needs"}`; unset values
    /// are `null`.
    public var json: JSONValue {
        .object([
            "id": .string(self.id),
            "type": .string(self.type),
            "status": .string(self.status.rawValue),
            "attempts": .number(Double(self.attempts)),
            "started_at": Timestamp.json(self.startedAt),
            "ended_at": Timestamp.json(self.endedAt),
            "output": self.output ?? .null,
            "error": .orNull(self.error),
            "needs": .strings(self.needs),
        ])
    }
}
