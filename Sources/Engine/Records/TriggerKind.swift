/// What started a run, as `GET /v1/runs?trigger=`, `triggerctl runs --trigger` and the console's filter name it.
///
/// It is the trigger's `type`, except for two kinds of run an operator starts from an earlier one: a retry
/// (`POST /v1/runs/{id}/retry`) is `retry` and a replay of a webhook delivery is `replay`, although their
/// trigger (which workflows read as `trigger.*`) keeps the original `type`. Stored in `run.trigger_type`, indexed
/// with the run order, so filtering by kind reads one page of an index at any number of runs.
public enum TriggerKind: String, CaseIterable, Sendable {
    case manual, cron, webhook, event, retry, replay

    /// The kind of a run with this trigger; `retryOf` is the run it retries, if it is a retry.
    public static func of(trigger: JSONValue, retryOf: String?) -> String {
        if retryOf != nil { return TriggerKind.retry.rawValue }
        if trigger["replay_of"] != nil { return TriggerKind.replay.rawValue }
        return trigger["type"]?.stringValue ?? TriggerKind.manual.rawValue
    }

    /// `manual, cron, webhook, event, retry, replay`: for messages that list the kinds.
    public static var names: String { Self.allCases.map(\.rawValue).joined(separator: ", ") }

    /// The kind named `text`, or an `invalidInput` error that lists the kinds.
    public static func parse(_ text: String, option: String) throws(EngineError) -> TriggerKind {
        guard let kind = TriggerKind(rawValue: text) else {
            throw EngineError(.invalidInput, "unknown trigger kind '\(text)' in \(option) (expected one of: \(Self.names))")
        }
        return kind
    }
}
