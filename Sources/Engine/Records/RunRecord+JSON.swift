extension RunRecord {
    /// The run as `GET /v1/runs/{id}` answers it (SPEC §8), with every step and decision.
    public var json: JSONValue { self.json(includeSteps: true) }

    /// The run as API JSON. Lists (`GET /v1/runs`) pass `includeSteps: false`: their records carry no steps or
    /// decisions, so the `steps` and `decisions` keys are left out rather than shown empty.
    public func json(includeSteps: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(self.id),
            "workflow": .string(self.workflow),
            "version": .string(self.version),
            "status": .string(self.status.rawValue),
            "trigger": self.trigger,
            "input": self.input,
            "created_at": .string(Timestamp.format(self.createdAt)),
            "started_at": Timestamp.json(self.startedAt),
            "ended_at": Timestamp.json(self.endedAt),
            "error": .orNull(self.error),
            "output": self.output ?? .null,
        ]
        if includeSteps {
            o["steps"] = .array(self.steps.map(\.json))
            o["decisions"] = .array(self.decisions.map(\.json))
        }
        return .object(o)
    }
}
