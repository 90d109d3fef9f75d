/// One step of a workflow graph.
public struct StepDefinition: Sendable {
    public var id: String
    /// The `type:` value, e.g. `http_request`.
    public var type: String
    public var needs: [String]
    /// `if:`; the step is skipped when it evaluates false.
    public var condition: Template?
    /// `with:`, templated; evaluated when the step starts.
    public var with: TemplatedValue
    /// `with:` as written, for checks that need literal values.
    public var rawWith: [String: JSONValue]
    public var retry: RetryPolicy?
    /// Per-attempt timeout in seconds.
    public var timeout: Double?
    public var onError: OnErrorPolicy
    /// `condition` steps: ids run when the result is true / false; the other branch is skipped.
    public var thenSteps: [String]
    public var elseSteps: [String]
    public var description: String?
    public var location: SourceLocation
    /// `for_each`: the inline step run per item.
    public var body: ForEachBody?

    public init(
        id: String, type: String, needs: [String] = [], condition: Template? = nil, with: TemplatedValue = .object([:]),
        rawWith: [String: JSONValue] = [:], retry: RetryPolicy? = nil, timeout: Double? = nil,
        onError: OnErrorPolicy = .fail, thenSteps: [String] = [], elseSteps: [String] = [], description: String? = nil,
        location: SourceLocation = SourceLocation(file: "<memory>", line: 0, column: 0), body: ForEachBody? = nil
    ) {
        self.id = id
        self.type = type
        self.needs = needs
        self.condition = condition
        self.with = with
        self.rawWith = rawWith
        self.retry = retry
        self.timeout = timeout
        self.onError = onError
        self.thenSteps = thenSteps
        self.elseSteps = elseSteps
        self.description = description
        self.location = location
        self.body = body
    }
}

/// The inline step of a `for_each` (a class so `StepDefinition` can contain one).
public final class ForEachBody: Sendable {
    public let step: StepDefinition
    public init(step: StepDefinition) { self.step = step }
}

/// What a failed step does to its run.
public enum OnErrorPolicy: Sendable, Equatable {
    /// The run fails (default).
    case fail
    /// The failure counts as finished; dependents run and can read `steps.<id>.status`.
    case `continue`
    /// These handler steps run instead of failing the run; the step's dependents are skipped.
    case handlers([String])
}

/// `retry:` of a step.
public struct RetryPolicy: Sendable, Equatable {
    public enum Backoff: String, Sendable, CaseIterable { case fixed, exponential }

    /// Total attempts including the first.
    public var attempts: Int
    public var backoff: Backoff
    public var initialDelay: Double
    public var maxDelay: Double
    /// Fraction (0...1) of random spread applied to each delay.
    public var jitter: Double

    public init(attempts: Int, backoff: Backoff, initialDelay: Double, maxDelay: Double, jitter: Double) {
        self.attempts = attempts
        self.backoff = backoff
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed, before jitter.
    public func delay(after attempt: Int) -> Double {
        switch self.backoff {
        case .fixed: return min(self.initialDelay, self.maxDelay)
        case .exponential:
            let factor = pow2(max(0, attempt - 1))
            return min(self.initialDelay * factor, self.maxDelay)
        }
    }

    private func pow2(_ n: Int) -> Double { n >= 62 ? Double.greatestFiniteMagnitude : Double(1 << n) }
}
