public import Foundation

/// One loaded workflow file: its triggers, inputs and step graph, pinned to the content it was read from.
public struct WorkflowDefinition: Sendable {
    public var name: String
    public var description: String?
    /// Path as shown in diagnostics (relative to the workflows directory in the daemon).
    public var file: String
    /// Content hash of `source` (first 16 hex digits of SHA-256): the version runs are pinned to.
    public var version: String
    /// The exact file content; stored so a run can be re-read after the file changes.
    public var source: String
    public var triggers: [TriggerDefinition]
    public var inputs: [InputDefinition]
    public var concurrency: ConcurrencyPolicy?
    /// Whole-run timeout in seconds.
    public var timeout: Double?
    public var steps: [String: StepDefinition]
    /// Step ids in file order (for stable listings).
    public var stepOrder: [String]
    /// Things the loader accepted but that look unintended (`warning:` diagnostics), in file order.
    public var warnings: [Diagnostic] = []

    public init(
        name: String, description: String?, file: String, version: String, source: String,
        triggers: [TriggerDefinition], inputs: [InputDefinition], concurrency: ConcurrencyPolicy?, timeout: Double?,
        steps: [String: StepDefinition], stepOrder: [String]
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.version = version
        self.source = source
        self.triggers = triggers
        self.inputs = inputs
        self.concurrency = concurrency
        self.timeout = timeout
        self.steps = steps
        self.stepOrder = stepOrder
    }

    /// Cron triggers with their position in `triggers`.
    public var cronTriggers: [CronTrigger] {
        self.triggers.compactMap { if case .cron(let c) = $0 { c } else { nil } }
    }

    /// Webhook triggers.
    public var webhookTriggers: [WebhookTrigger] {
        self.triggers.compactMap { if case .webhook(let w) = $0 { w } else { nil } }
    }

    /// Event triggers.
    public var eventTriggers: [EventTrigger] {
        self.triggers.compactMap { if case .event(let e) = $0 { e } else { nil } }
    }
}

/// A declared input of a workflow (`inputs:`), checked when a manual run starts.
public struct InputDefinition: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case string, number, integer, boolean, object, array, any
    }

    public var name: String
    public var type: Kind
    public var required: Bool
    public var defaultValue: JSONValue?
    public var description: String?

    public init(name: String, type: Kind, required: Bool, defaultValue: JSONValue?, description: String?) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.description = description
    }
}

/// `concurrency: {limit, key}`: at most `limit` active runs per evaluated key.
public struct ConcurrencyPolicy: Sendable {
    public var limit: Int
    public var key: Template?

    public init(limit: Int, key: Template?) {
        self.limit = limit
        self.key = key
    }
}
