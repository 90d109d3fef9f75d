extension WorkflowDefinition {
    /// The type of the workflow's first trigger (`manual` when it has none): the trigger an offline run
    /// (`triggerctl test`, a dry run) pretends it came from when not told.
    public var firstTriggerType: String {
        switch self.triggers.first {
        case .cron?: "cron"
        case .webhook?: "webhook"
        case .event?: "event"
        case .manual?, nil: "manual"
        }
    }
}
