extension PendingApproval {
    /// `{"run_id", "workflow", "step", "message", "since", "deadline", "approvers", "required", "approved_by"}` as
    /// `GET /v1/approvals` lists it; `deadline` is `null` when the wait has no timeout.
    public var json: JSONValue {
        .object([
            "run_id": .string(self.runID),
            "workflow": .string(self.workflow),
            "step": .string(self.stepID),
            "message": .orNull(self.message),
            "since": .string(Timestamp.format(self.since)),
            "deadline": Timestamp.json(self.deadline),
            "approvers": .strings(self.approvers),
            "required": .number(Double(self.required)),
            "approved_by": .strings(self.approvedBy),
        ])
    }
}
