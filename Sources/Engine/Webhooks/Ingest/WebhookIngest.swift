public import Foundation
public import Logging
import Synchronization

/// The engine side of the webhook listener: routes, verifies, dedupes, filters and stores deliveries, and
/// decides every answer. Knows no HTTP library; the listener reads the request and writes the answer.
///
/// ```swift
/// let ingest = WebhookIngest(engine: engine, configuration: config, secrets: secrets, logger: logger)
/// await core.onReload { ingest.update(workflows: $0) }
/// switch ingest.preflight(method: "POST", path: "/hooks/github") {
/// case .answer(let answer): send(answer)                   // 404, 405, 503: no body read
/// case .read(let limit): send(await ingest.handle(request))  // after reading at most `limit` bytes
/// }
/// ```
///
/// A 2xx answer means the delivery is committed (delivery row plus run, or delivery row plus event) in the
/// same transaction; concurrent deliveries share commits through the store's group commit. At most
/// `queueLimit` deliveries are between arrival and the start of their run at once; more answer 429.
public final class WebhookIngest: Sendable {
    let engine: RunEngine
    let metrics: Metrics
    let logger: Logger
    let clock: any EngineClock
    /// `ingest.queue`: deliveries beyond this many accepted and not yet started answer 429.
    public let queueLimit: Int
    /// Seconds a dedupe id is remembered (`dedupe_window`, at least 3 days by default).
    let dedupeWindow: Double
    let claims = DedupeClaims()
    private let state: Mutex<State>
    private let pending = Atomic<Int>(0)
    private let closing = Atomic<Bool>(false)

    struct State: Sendable {
        var routes = WebhookRouteTable()
        var definitions: [String: WorkflowDefinition] = [:]
        var secrets: JSONValue
        var redactor: Redactor
    }

    /// What the listener does before reading a body.
    public enum Preflight: Sendable, Equatable {
        /// Answer now without reading the body (unknown path, wrong method, shutting down).
        case answer(WebhookAnswer)
        /// Read the body, refusing with `tooLarge(path:)` as soon as it exceeds `limit` bytes.
        case read(limit: Int)
    }

    /// Creates an ingest for `engine` with the queue limit and dedupe window of `configuration`.
    public init(
        engine: RunEngine,
        configuration: DaemonConfiguration,
        secrets: [String: String],
        clock: any EngineClock = SystemClock(),
        logger: Logger,
        metrics: Metrics = Metrics()
    ) {
        self.engine = engine
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.queueLimit = configuration.ingestQueue
        self.dedupeWindow = configuration.dedupeWindow
        self.state = Mutex(State(secrets: Self.secretsRoot(secrets), redactor: Redactor(secrets: secrets.values)))
        metrics.set(MetricName.ingestQueueLimit, to: Double(configuration.ingestQueue))
        metrics.addCollector { [weak self] metrics in
            guard let self else { return }
            metrics.set(MetricName.ingestQueueDepth, to: Double(self.queueDepth))
        }
    }

    /// Replaces the served paths with those of `workflows` (call after every reload).
    public func update(workflows: [String: WorkflowDefinition]) {
        self.state.withLock { state in
            state.definitions = workflows
            state.routes = WebhookRouteTable(definitions: workflows, secrets: state.secrets)
        }
    }

    /// Replaces the secret values verify blocks resolve against (and mask in stored headers).
    public func setSecrets(_ secrets: [String: String]) {
        self.state.withLock { state in
            state.secrets = Self.secretsRoot(secrets)
            state.redactor = Redactor(secrets: secrets.values)
            state.routes = WebhookRouteTable(definitions: state.definitions, secrets: state.secrets)
        }
    }

    /// From now on every delivery answers 503 (the daemon is stopping).
    public func beginShutdown() { self.closing.store(true, ordering: .relaxed) }

    /// Whether `beginShutdown` was called.
    public var isShuttingDown: Bool { self.closing.load(ordering: .relaxed) }

    /// Deliveries between arrival and commit right now, plus runs accepted and not yet started.
    public var queueDepth: Int { self.pending.load(ordering: .relaxed) + self.engine.queuedRuns }

    /// The endpoint served at `path`, if any.
    public func endpoint(path: String) -> WebhookEndpoint? { self.state.withLock { $0.routes.byPath[path] } }

    /// Every served path, sorted.
    public var paths: [String] { self.state.withLock { $0.routes.byPath.keys.sorted() } }

    /// Decides what can be decided from the request line alone; counts the answers it gives.
    public func preflight(method: String, path: String) -> Preflight {
        let decision = self.route(method: method, path: path)
        switch decision {
        case .success(let endpoint): return .read(limit: endpoint.maxBody)
        case .failure(let refusal):
            self.count(refusal.answer, workflow: refusal.workflow, since: nil)
            return .answer(refusal.answer)
        }
    }

    /// The 413 answer for a body over the limit of `path`, counted.
    public func tooLarge(path: String) -> WebhookAnswer {
        let endpoint = self.endpoint(path: path)
        let answer = WebhookAnswer.tooLarge(limit: endpoint?.maxBody ?? 0)
        self.count(answer, workflow: endpoint?.workflow.name ?? "", since: nil)
        return answer
    }

    /// The 408 for a body that did not arrive within `seconds` of its head, counted like other answers.
    public func tooSlow(path: String, seconds: Double) -> WebhookAnswer {
        let answer = WebhookAnswer.tooSlow(seconds: seconds)
        self.count(answer, workflow: self.endpoint(path: path)?.workflow.name ?? "", since: nil)
        return answer
    }

    /// Decides the answer to a delivery at the clock's current time.
    public func handle(_ request: WebhookRequest) async -> WebhookAnswer {
        await self.handle(request, now: self.clock.now())
    }

    /// Decides the answer to a delivery; a 2xx is returned only once the delivery is committed.
    ///
    /// - Parameter now: the arrival time, used for signature timestamps, dedupe and the stored rows.
    public func handle(_ request: WebhookRequest, now: Date) async -> WebhookAnswer {
        let started = ContinuousClock.now
        let endpoint: WebhookEndpoint
        switch self.route(method: request.method, path: request.path) {
        case .failure(let refusal):
            self.count(refusal.answer, workflow: refusal.workflow, since: started)
            return refusal.answer
        case .success(let found): endpoint = found
        }
        let workflow = endpoint.workflow.name
        guard request.body.count <= endpoint.maxBody else {
            let answer = WebhookAnswer.tooLarge(limit: endpoint.maxBody)
            self.count(answer, workflow: workflow, since: started)
            return answer
        }
        // The queue counts deliveries from arrival until their run starts (in flight here, then queued in the
        // engine's work queue); past the limit, refuse before any work.
        let depth = self.pending.wrappingAdd(1, ordering: .relaxed).newValue + self.engine.queuedRuns
        guard depth <= self.queueLimit else {
            self.pending.wrappingSubtract(1, ordering: .relaxed)
            let answer = WebhookAnswer.error(
                429, code: "too_busy", "the ingest queue is full (\(self.queueLimit) deliveries); retry later",
                outcome: "busy", headers: ["Retry-After": "1"])
            self.count(answer, workflow: workflow, since: started)
            return answer
        }
        let accepted = await self.accept(request, endpoint: endpoint, now: now)
        self.pending.wrappingSubtract(1, ordering: .relaxed)
        var answer: WebhookAnswer
        switch accepted {
        case .answer(let decided): answer = decided
        case .started(let runID, let deliveryID):
            answer = WebhookAnswer(
                status: 202, body: ["run_id": .string(runID), "delivery_id": .string(deliveryID)], outcome: "accepted")
            if endpoint.trigger.response == .sync {
                answer = await self.syncAnswer(
                    runID: runID, deliveryID: deliveryID, timeout: endpoint.trigger.responseTimeout)
            }
        }
        self.count(answer, workflow: workflow, since: started)
        return answer
    }

    /// An endpoint for the request line, or the refusal with the workflow it is counted under.
    private func route(method: String, path: String) -> Result<WebhookEndpoint, Refusal> {
        if self.isShuttingDown {
            return .failure(Refusal(answer: .shuttingDown, workflow: self.endpoint(path: path)?.workflow.name ?? ""))
        }
        guard let endpoint = self.endpoint(path: path) else { return .failure(Refusal(answer: .notFound(path), workflow: "")) }
        guard method.uppercased() == endpoint.trigger.method else {
            let answer = WebhookAnswer.error(
                405, code: "method_not_allowed", "\(path) accepts \(endpoint.trigger.method) only, not \(method)",
                outcome: "method_not_allowed", headers: ["Allow": endpoint.trigger.method])
            return .failure(Refusal(answer: answer, workflow: endpoint.workflow.name))
        }
        return .success(endpoint)
    }

    /// Counts an answer by workflow and outcome, and its latency when `since` is given.
    func count(_ answer: WebhookAnswer, workflow: String, since: ContinuousClock.Instant?) {
        self.metrics.increment(MetricName.webhookDeliveries, ["workflow": workflow, "outcome": answer.outcome])
        if let since {
            let elapsed = ContinuousClock.now - since
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            self.metrics.observe(MetricName.webhookAnswerSeconds, ["workflow": workflow], seconds)
        }
    }

    /// The current secrets root and redactor (for expressions and stored headers).
    var secretsAndRedactor: (JSONValue, Redactor) { self.state.withLock { ($0.secrets, $0.redactor) } }

    private static func secretsRoot(_ secrets: [String: String]) -> JSONValue {
        .object(secrets.mapValues { .string($0) })
    }
}

/// An answer decided before the body matters, and the workflow label it is counted under.
private struct Refusal: Error {
    let answer: WebhookAnswer
    let workflow: String
}
