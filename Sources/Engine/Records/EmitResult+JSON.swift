extension EmitResult {
    /// `{"event_id", "resumed": [run ids], "started": [run ids]}` as `POST /v1/events` answers it.
    public var json: JSONValue {
        .object([
            "event_id": .string(self.eventID),
            "resumed": .strings(self.resumed),
            "started": .strings(self.started),
        ])
    }
}
