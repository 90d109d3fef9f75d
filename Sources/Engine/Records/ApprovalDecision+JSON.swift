extension ApprovalDecision {
    /// `{"run_id", "step", "user", "uid", "approved", "comment", "at"}`: one entry of a run's `decisions` and the
    /// answer to an approve or reject request.
    public var json: JSONValue {
        .object([
            "run_id": .string(self.runID),
            "step": .string(self.stepID),
            "user": .string(self.user),
            "uid": .number(Double(self.uid)),
            "approved": .bool(self.approved),
            "comment": .orNull(self.comment),
            "at": .string(Timestamp.format(self.at)),
        ])
    }
}
