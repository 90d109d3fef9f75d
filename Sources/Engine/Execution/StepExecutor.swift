public import Foundation
public import Logging

/// Runs one kind of step, such as `http_request`.
///
/// Executors are registered once at start-up. `execute` runs one attempt: return an outcome, or throw to say
/// the attempt failed (the step's retry policy then applies). Executors must return promptly when their task
/// is cancelled.
///
/// ```swift
/// struct TransformStep: StepExecutor {
///     let kind = "transform"
///     func execute(_ request: StepRequest) async throws -> StepOutcome { .completed(request.with["value"] ?? .null) }
/// }
/// ```
public protocol StepExecutor: Sendable {
    /// The `type:` value this executor handles.
    var kind: String { get }
    /// Runs one attempt.
    func execute(_ request: StepRequest) async throws -> StepOutcome
}

/// A step type whose attempts are pure and finish at once (`transform`, `condition`): no I/O, no waiting, no
/// side effects. The engine runs such a step inside the transition that starts it, so its start and its end are
/// committed together (and a run of only such steps is stored once, already finished). A crash before that
/// commit loses nothing that happened outside the process: the attempt simply runs again.
public protocol InlineStepExecutor: StepExecutor {
    /// Runs one attempt synchronously; `request.with` is already evaluated.
    func executeInline(_ request: StepRequest) throws -> StepOutcome
}

extension InlineStepExecutor {
    public func execute(_ request: StepRequest) async throws -> StepOutcome { try self.executeInline(request) }
}

/// Everything one attempt of a step may use.
public struct StepRequest: Sendable {
    public var step: StepDefinition
    /// `with:` after template evaluation.
    public var with: [String: JSONValue]
    public var runID: String
    public var workflow: String
    public var attempt: Int
    /// The scope the step's templates were evaluated in (for fields evaluated later, like event filters).
    public var scope: ExpressionScope
    public var now: Date
    /// The attempt's logger. For attempts the engine starts it is the engine's logger with `run.id`, `workflow`,
    /// `step` and `attempt` as metadata, attached when the logger is read: most attempts (every pure step) never
    /// log, and attaching costs four dictionary writes. Assigning replaces it.
    public var logger: Logger {
        get { self.assignedLogger ?? self.attemptLogger }
        set { self.assignedLogger = newValue }
    }
    /// Values to mask as `***` wherever output leaves the step.
    public var secretValues: [String]
    private var assignedLogger: Logger?
    private let baseLogger: Logger

    /// `run.id` + step id + attempt: stable across a crash-and-rerun of the same attempt number.
    public var idempotencyKey: String { "\(self.runID)/\(self.step.id)/\(self.attempt)" }

    public init(
        step: StepDefinition, with: [String: JSONValue], runID: String, workflow: String, attempt: Int,
        scope: ExpressionScope, now: Date, logger: Logger, secretValues: [String] = []
    ) {
        self.step = step
        self.with = with
        self.runID = runID
        self.workflow = workflow
        self.attempt = attempt
        self.scope = scope
        self.now = now
        self.assignedLogger = logger
        self.baseLogger = logger
        self.secretValues = secretValues
    }

    /// A request whose logger is `engineLogger` with the attempt's metadata, attached on first read.
    init(
        step: StepDefinition, runID: String, workflow: String, attempt: Int, scope: ExpressionScope, now: Date,
        engineLogger: Logger, secretValues: [String]
    ) {
        self.init(
            step: step, with: [:], runID: runID, workflow: workflow, attempt: attempt, scope: scope, now: now,
            logger: engineLogger, secretValues: secretValues)
        self.assignedLogger = nil
    }

    private var attemptLogger: Logger {
        var logger = self.baseLogger
        logger[metadataKey: LogKey.runID] = "\(self.runID)"
        logger[metadataKey: LogKey.workflow] = "\(self.workflow)"
        logger[metadataKey: LogKey.step] = "\(self.step.id)"
        logger[metadataKey: LogKey.attempt] = "\(self.attempt)"
        return logger
    }
}

/// What one attempt produced.
public enum StepOutcome: Sendable, Equatable {
    /// Done; the output is stored and visible as `steps.<id>.output`.
    case completed(JSONValue)
    /// Park the run durably until the wait ends (no thread is held meanwhile).
    case wait(WaitRequest)
}

/// A durable wait a step asks for.
public enum WaitRequest: Sendable, Equatable {
    /// Resume at a wall-clock time; output `{"resumed_at"}`.
    case delay(until: Date)
    /// Wait for people over the control socket.
    case approval(ApprovalWait)
    /// Wait for an event.
    case event(EventWait)
}

/// `wait_for_approval` parameters.
public struct ApprovalWait: Sendable, Equatable {
    public enum OnTimeout: String, Sendable { case reject, approve, fail }
    public var message: String?
    public var approvers: [String]
    public var required: Int
    public var deadline: Date?
    public var onTimeout: OnTimeout

    public init(message: String?, approvers: [String], required: Int, deadline: Date?, onTimeout: OnTimeout) {
        self.message = message
        self.approvers = approvers
        self.required = required
        self.deadline = deadline
        self.onTimeout = onTimeout
    }
}

/// `wait_for_event` parameters.
public struct EventWait: Sendable, Equatable {
    public enum OnTimeout: String, Sendable { case fail, `continue` }
    public var name: String
    public var key: String?
    /// Template source evaluated per candidate event with `event` in scope.
    public var filter: String?
    /// Events received up to this many seconds before the wait began still match.
    public var lookback: Double
    public var deadline: Date?
    public var onTimeout: OnTimeout

    public init(name: String, key: String?, filter: String?, lookback: Double, deadline: Date?, onTimeout: OnTimeout) {
        self.name = name
        self.key = key
        self.filter = filter
        self.lookback = lookback
        self.deadline = deadline
        self.onTimeout = onTimeout
    }
}

/// A failed attempt, with an optional server-requested delay before the next one (`Retry-After`).
public struct StepFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var retryAfter: Double?
    /// False when retrying cannot help (bad input, 4xx other than 429); the retry policy is skipped.
    public var retryable: Bool
    /// Output to keep even though the step failed (e.g. a command's stdout and exit code).
    public var output: JSONValue?

    public init(_ message: String, retryAfter: Double? = nil, retryable: Bool = true, output: JSONValue? = nil) {
        self.message = message
        self.retryAfter = retryAfter
        self.retryable = retryable
        self.output = output
    }

    public var description: String { self.message }
}

/// The executors the engine knows, by step type.
public struct StepRegistry: Sendable {
    private var executors: [String: any StepExecutor] = [:]

    public init(_ executors: [any StepExecutor] = []) {
        for executor in executors { self.register(executor) }
    }

    /// Adds an executor. Registering a kind twice replaces the first (tests use this to mock a step type).
    public mutating func register(_ executor: any StepExecutor) {
        self.executors[executor.kind] = executor
    }

    public func executor(for kind: String) -> (any StepExecutor)? { self.executors[kind] }

    public var kinds: [String] { self.executors.keys.sorted() }
}
