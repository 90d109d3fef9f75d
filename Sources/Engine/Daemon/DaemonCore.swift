public import Foundation
public import Logging

/// The daemon's engine-side heart: configuration, the workflow catalog, the run engine. Implements the
/// control plane the HTTP edges call. Knows nothing of HTTP.
public actor DaemonCore: ControlPlane {
    public static let version = "0.1.0"

    public let configuration: DaemonConfiguration
    public let engine: RunEngine
    let logger: Logger
    let clock: any EngineClock
    var catalog = WorkflowCatalog()
    var loader: WorkflowLoader
    public let startedAt: Date
    /// Called after every reload with the new set of workflows (the scheduler and webhook router listen).
    var reloadObservers: [@Sendable ([String: WorkflowDefinition]) async -> Void] = []
    /// Extra status providers (next fire times from the scheduler).
    var nextFiresProvider: (@Sendable () async -> [JSONValue])?
    /// The scheduler's list of cron triggers (`GET /v1/schedules`).
    var schedulesProvider: (@Sendable () async -> [JSONValue])?
    /// The secret values in use.
    var secrets: [String: String]
    /// Reads the secrets again (the secrets file and the credentials directory), for `reload`; nil never re-reads.
    var secretsSource: (@Sendable () throws -> [String: String])?
    /// Called with the new values on each reload that changed the secrets (the webhook listener and the log
    /// handlers listen).
    var secretsObservers: [@Sendable ([String: String]) async -> Void] = []
    /// Why the last re-read of the secrets was refused; the previous values stay in use until one succeeds.
    public private(set) var secretsError: String?

    public init(configuration: DaemonConfiguration, engine: RunEngine, secrets: [String: String], clock: any EngineClock, logger: Logger) {
        self.configuration = configuration
        self.engine = engine
        self.clock = clock
        self.logger = logger
        self.startedAt = clock.now()
        self.secrets = secrets
        self.loader = WorkflowLoader(knownSecrets: Set(secrets.keys), defaultTimeZone: configuration.timezone)
    }

    /// Registers a callback run after each reload.
    public func onReload(_ observer: @escaping @Sendable ([String: WorkflowDefinition]) async -> Void) {
        self.reloadObservers.append(observer)
    }

    public func setNextFiresProvider(_ provider: @escaping @Sendable () async -> [JSONValue]) {
        self.nextFiresProvider = provider
    }

    /// Makes every reload re-read the secrets from `source`, all or nothing; `onChange` gets the new values before
    /// the engine does.
    public func setSecretsSource(
        _ source: @escaping @Sendable () throws -> [String: String],
        onChange: @escaping @Sendable ([String: String]) async -> Void
    ) {
        self.secretsSource = source
        self.secretsObservers.append(onChange)
    }

    /// Sets where `schedules()` comes from (the cron scheduler).
    public func setSchedulesProvider(_ provider: @escaping @Sendable () async -> [JSONValue]) {
        self.schedulesProvider = provider
    }

    public func schedules() async throws -> [JSONValue] {
        await self.schedulesProvider?() ?? []
    }

    /// The current workflows by name.
    public var definitions: [String: WorkflowDefinition] { self.catalog.byName }

    public func reload() async -> ReloadReport {
        await self.reloadSecrets()
        var report = self.catalog.reload(directory: self.configuration.workflows, loader: self.loader)
        report.secretsError = self.secretsError
        for error in report.errors {
            self.logger.error("workflow file refused", metadata: [LogKey.file: "\(error.file)", LogKey.error: "\(error.message)"])
        }
        for warning in report.warnings {
            self.logger.warning("workflow file loaded with warnings", metadata: [LogKey.file: "\(warning.file)", LogKey.error: "\(warning.message)"])
        }
        do {
            try await self.engine.setWorkflows(self.catalog.byName)
        } catch {
            self.logger.error("could not record workflow versions", metadata: [LogKey.error: "\(error)"])
        }
        for observer in self.reloadObservers { await observer(self.catalog.byName) }
        return report
    }

    /// Re-reads the secrets. A source that fails (missing, unreadable, over-permissive or malformed file) changes
    /// nothing: the previous values stay in use and `secretsError` says why until a re-read succeeds.
    func reloadSecrets() async {
        guard let source = self.secretsSource else { return }
        let fresh: [String: String]
        do {
            fresh = try source()
        } catch {
            self.secretsError = "\(error) (the previous secrets stay in use)"
            self.logger.error("secrets not reloaded; the previous values stay in use", metadata: [LogKey.error: "\(error)"])
            return
        }
        self.secretsError = nil
        guard fresh != self.secrets else { return }
        let namesChanged = Set(fresh.keys) != Set(self.secrets.keys)
        self.secrets = fresh
        self.loader.knownSecrets = Set(fresh.keys)
        // Files refused for an unknown secret may load now; files using a removed one must say so.
        if namesChanged { self.catalog.recheckAll() }
        // Observers first: the log handlers must mask a new value before anything could log it.
        for observer in self.secretsObservers { await observer(fresh) }
        await self.engine.setSecrets(fresh)
        self.logger.notice("secrets reloaded", metadata: [LogKey.secrets: "\(fresh.count)"])
    }

    /// Files with load errors (`file`, diagnostics).
    public var loadErrors: [FileLoadError] {
        self.catalog.errors.keys.sorted().map { FileLoadError(file: $0, message: self.catalog.errors[$0]!) }
    }

    public func status() async throws -> StatusSnapshot {
        let now = self.clock.now()
        return StatusSnapshot(
            version: Self.version, startedAt: self.startedAt, uptimeSeconds: now.timeIntervalSince(self.startedAt),
            workflowsLoaded: self.catalog.byName.count, loadErrors: self.loadErrors, runCounts: try await self.engine.runCounts(),
            pendingApprovals: try await self.engine.approvals().count, nextFires: await self.nextFiresProvider?() ?? [],
            listen: self.configuration.listen, socket: self.configuration.socket, secretsError: self.secretsError)
    }

    public func workflows() async -> [WorkflowSummary] {
        var out: [WorkflowSummary] = []
        for file in self.catalog.files {
            if let definition = self.catalog.workflow(inFile: file) {
                out.append(self.summary(definition, error: self.catalog.errors[file]))
            } else {
                out.append(
                    WorkflowSummary(
                        name: WorkflowLoader.defaultName(forPath: file), description: nil, file: file, version: nil, triggers: [],
                        steps: [], loadError: self.catalog.errors[file]))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    public func workflow(named name: String) async -> WorkflowSummary? {
        await self.workflows().first { $0.name == name }
    }

    func summary(_ definition: WorkflowDefinition, error: String?) -> WorkflowSummary {
        let now = self.clock.now()
        let triggers: [JSONValue] = definition.triggers.map { trigger in
            switch trigger {
            case .manual: return ["type": "manual"]
            case .event(let e): return ["type": "event", "name": .string(e.name)]
            case .webhook(let w):
                return [
                    "type": "webhook", "path": .string(w.path), "method": .string(w.method),
                    "verify": w.verify.map { .string($0.scheme.rawValue) } ?? .null, "response": .string(w.response.rawValue),
                ]
            case .cron(let c):
                let zone = TimeZone(identifier: c.timezone) ?? TimeZone(identifier: "UTC")!
                let next = c.schedule.next(after: now, in: zone)
                return [
                    "type": "cron", "schedule": .string(c.schedule.text), "timezone": .string(c.timezone),
                    "next": next.map { .string(CronPreview.rfc3339($0, in: zone)) } ?? .null,
                    "catch_up": .string(c.catchUp.rawValue), "overlap": .string(c.overlap.rawValue),
                ]
            }
        }
        return WorkflowSummary(
            name: definition.name, description: definition.description, file: definition.file, version: definition.version,
            triggers: triggers, steps: definition.stepOrder, loadError: error, inputs: definition.inputs,
            stepTypes: definition.steps.mapValues(\.type), stepNeeds: definition.steps.mapValues(\.needs))
    }

    public func startRun(workflow: String, input: JSONValue) async throws -> String {
        try await self.engine.startRun(workflow: workflow, trigger: ["type": "manual"], input: input)
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        try await self.engine.runs(query)
    }

    public func run(id: String) async throws -> RunRecord? {
        try await self.engine.run(id: id)
    }

    public func cancel(runID: String) async throws {
        try await self.engine.cancel(runID: runID)
    }

    public func retry(runID: String) async throws -> String {
        try await self.engine.retry(runID: runID)
    }

    public func runEvents(runID: String, after: Int64, limit: Int) async throws -> [RunEvent]? {
        try await self.engine.runEvents(runID: runID, after: after, limit: limit)
    }

    public func eventStream(after: Int64, runID: String?) async -> AsyncStream<RunEvent> {
        await self.engine.eventStream(after: after, runID: runID)
    }

    public func latestEventSeq() async throws -> Int64 {
        try await self.engine.latestEventSeq()
    }

    public func approvals() async throws -> [PendingApproval] {
        try await self.engine.approvals()
    }

    public func decide(runID: String, stepID: String?, approve: Bool, comment: String?, by peer: PeerIdentity) async throws -> ApprovalDecision {
        try await self.engine.decide(runID: runID, stepID: stepID, approve: approve, comment: comment, by: peer)
    }

    public func emit(name: String, key: String?, data: JSONValue) async throws -> EmitResult {
        try await self.engine.emit(name: name, key: key, data: data)
    }

    public func deliveries(workflow: String?, limit: Int) async throws -> [JSONValue] {
        try await WebhookIngest.deliveries(in: self.engine.store, workflow: workflow, limit: limit)
    }

    public func replay(deliveryID: String) async throws -> String {
        try await WebhookIngest.replay(deliveryID: deliveryID, engine: self.engine)
    }

    public func createToken(name: String, role: ConsoleToken.Role, by creator: String) async throws -> String {
        try await self.engine.store.createToken(name: name, role: role, by: creator, at: self.clock.now())
    }

    public func tokens() async throws -> [ConsoleToken] {
        try await self.engine.store.tokens()
    }

    public func revokeToken(name: String) async throws {
        try await self.engine.store.revokeToken(name: name)
    }

    public func token(secret: String) async throws -> ConsoleToken? {
        try await self.engine.store.token(secret: secret)
    }

    public func backup(to path: String) async throws -> BackupReport {
        let bytes = try await self.engine.store.backup(toNewFile: path)
        self.logger.notice("Database backup written", metadata: [LogKey.backupPath: "\(path)", LogKey.bytes: "\(bytes)"])
        return BackupReport(path: path, bytes: bytes, at: self.clock.now())
    }
}
