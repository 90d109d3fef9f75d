import Engine
import Foundation
import Logging
import ServiceLifecycle
import Steps
import UnixSignals

/// Wires the daemon: configuration, lock, store, engine, control socket, listener, watcher, systemd.
struct Daemon {
    let options: DaemonOptions
    let environment: [String: String]

    func run() async throws {
        let config: DaemonConfiguration
        do {
            config = try self.options.resolve(environment: self.environment, fileExists: { FileManager.default.fileExists(atPath: $0) })
        } catch {
            throw StartupFailure("configuration refused:\n\(error.description)")
        }
        let secrets: [String: String]
        do {
            secrets = try SecretStore.load(file: config.secrets, credentialsDirectory: self.environment["CREDENTIALS_DIRECTORY"])
        } catch {
            throw StartupFailure(error.description)
        }
        let logRedaction = LogRedaction(secrets: secrets.values)
        let format = LineLogHandler.Format(rawValue: config.logFormat) ?? .text
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        // Under systemd with stderr on the journal, records go to journald natively (metadata as fields).
        let journal = JournalLogHandler.stderrIsJournal(environment: self.environment)
        LoggingSystem.bootstrap { label -> any LogHandler in
            if journal { return JournalLogHandler(label: label, logLevel: level, redactor: logRedaction) }
            return LineLogHandler(label: label, format: format, logLevel: level, redactor: logRedaction)
        }
        let logger = Logger(label: "triggerd")

        if self.options.checkConfig {
            try self.checkConfig(config, secrets: secrets)
            return
        }
        try Self.checkDirectories(config)
        let lock: StateDirectoryLock
        do {
            lock = try StateDirectoryLock.acquire(stateDirectory: config.stateDir)
        } catch {
            throw StartupFailure("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        guard let address = ListenAddress.parse(config.listen) else { throw StartupFailure("bad listen address '\(config.listen)'") }
        let activation: SocketActivation?
        do {
            activation = try SocketActivation.fromEnvironment(self.environment)
        } catch {
            throw StartupFailure(error.description)
        }
        // A listener systemd passed is already bound (and the probe would find its port taken).
        if activation?.webhook == nil, let problem = PortProbe.problem(host: address.host, port: address.port) {
            throw StartupFailure("cannot listen on \(config.listen): \(problem)")
        }
        var consoleAddress: ListenAddress?
        if let console = config.console {
            guard let parsed = ListenAddress.parse(console.listen) else {
                throw StartupFailure("bad console.listen address '\(console.listen)'")
            }
            if let problem = PortProbe.problem(host: parsed.host, port: parsed.port) {
                throw StartupFailure("cannot listen on console.listen \(console.listen): \(problem)")
            }
            consoleAddress = parsed
        }
        let store: Store
        do {
            store = try Store(path: config.databasePath)
        } catch {
            throw StartupFailure("cannot open the database \(config.databasePath): \(error)")
        }
        var allowedEnv: [String: String] = [:]
        for name in config.envAllow { allowedEnv[name] = self.environment[name] }
        let clock = SystemClock()
        let outbound = OutboundResources()
        let registry = StepLibrary.registry(
            configuration: config, secrets: secrets, environment: self.environment, resources: outbound)
        let engine = RunEngine(store: store, registry: registry, clock: clock, logger: logger, secrets: secrets, env: allowedEnv)
        let core = DaemonCore(configuration: config, engine: engine, secrets: secrets, clock: clock, logger: logger)
        let metrics = Metrics()
        outbound.export(to: metrics)
        let scheduler = CronScheduler(engine: engine, clock: clock, logger: logger, metrics: metrics)
        await core.onReload { definitions in await scheduler.update(workflows: definitions) }
        await core.setNextFiresProvider { await scheduler.nextFires() }
        await core.setSchedulesProvider { await scheduler.schedules() }
        let ingest = WebhookIngest(engine: engine, configuration: config, secrets: secrets, clock: clock, logger: logger, metrics: metrics)
        await core.onReload { definitions in ingest.update(workflows: definitions) }
        // Every reload (SIGHUP, `triggerctl reload`, a change in the workflows directory) re-reads the secrets
        // from the same places as start-up.
        let secretsFile = config.secrets
        let credentials = self.environment["CREDENTIALS_DIRECTORY"]
        await core.setSecretsSource(
            { try SecretStore.load(file: secretsFile, credentialsDirectory: credentials) },
            onChange: { fresh in
                ingest.setSecrets(fresh)
                logRedaction.update(secrets: fresh.values)
            })
        let report = await core.reload()
        let notifier = SystemdNotifier(environment: self.environment)
        let rejected = report.errors.map(\.file)
        var startMetadata: Logger.Metadata = [
            "version": "\(DaemonCore.version)", "listen": "\(config.listen)", "socket": "\(config.socket)",
            "workflows": "\(report.loaded)", "rejected": "\(rejected.count)",
        ]
        if !rejected.isEmpty { startMetadata["rejected.files"] = "\(rejected.joined(separator: ","))" }
        logger.notice("triggerd starting", metadata: startMetadata)

        var control = try ControlServer(
            plane: core, socketPath: config.socket, socketGroup: config.socketGroup, logger: logger,
            onListening: {
                let counts = await core.definitions.count
                notifier.notify(["READY=1", "STATUS=\(counts) workflows loaded"])
            })
        control.adoptedDescriptor = activation?.control?.descriptor
        if let activation {
            let passed = [activation.control, activation.webhook].compactMap { $0.map { "\($0.name)=\($0.address)" } }
            logger.notice("Serving sockets passed by systemd", metadata: [LogKey.socketNames: "\(passed.joined(separator: ","))"])
        }
        // The scheduler starts runs only once the engine has recovered the runs of the previous life.
        let (recovered, recoveredSignal) = AsyncStream.makeStream(of: Void.self)
        let engineService = EngineService(
            engine: engine, grace: config.shutdownGrace, notifier: notifier, onRecovered: { recoveredSignal.finish() })
        let schedulerService = SchedulerService(scheduler: scheduler, engineRecovered: recovered)
        let watcher = WorkflowWatcher(directory: config.workflows, core: core, notifier: notifier, logger: logger)
        let webhooks = WebhookServer(
            ingest: ingest, metrics: metrics, engine: engine, host: address.host, port: address.port, logger: logger,
            limits: ListenerLimits(configuration: config))
        let webhookService: any Service =
            activation?.webhook.map { ActivatedWebhookServer(server: webhooks, descriptor: $0.descriptor) } ?? webhooks
        // ServiceGroup stops services in reverse order: the control socket stops first, the engine drains
        // next, and the watchdog keeps pinging until the very end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watchdog = WatchdogService(notifier: notifier, environment: self.environment) {
            services.append(.init(service: watchdog))
        }
        if notifier.isEnabled { services.append(.init(service: SystemdStatusService(notifier: notifier, core: core))) }
        // Retention prunes at start and hourly, in small batches between other writers.
        let retention = RetentionService(store: store, configuration: config, clock: clock, logger: logger, metrics: metrics)
        services += [.init(service: engineService), .init(service: retention), .init(service: schedulerService), .init(service: watcher), .init(service: webhookService), .init(service: control)]
        if let console = config.console, let consoleAddress {
            services.append(.init(service: ConsoleTCPServer(plane: core, settings: console, address: consoleAddress, logger: logger)))
        }
        var groupConfig = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(config.shutdownGrace + 5)
        let group = ServiceGroup(configuration: groupConfig)
        do {
            try await group.run()
        } catch {
            throw StartupFailure("stopped: \(error)")
        }
        logger.notice("triggerd stopped")
    }

    /// `--check-config`: the configuration parsed above, plus every workflow file.
    private func checkConfig(_ config: DaemonConfiguration, secrets: [String: String]) throws {
        var catalog = WorkflowCatalog()
        let report = catalog.reload(directory: config.workflows, loader: WorkflowLoader(knownSecrets: Set(secrets.keys), defaultTimeZone: config.timezone))
        for error in report.errors { FileHandle.standardError.write(Data((error.message + "\n").utf8)) }
        guard report.errors.isEmpty else { throw StartupFailure("\(report.errors.count) workflow file(s) refused") }
        print("configuration ok: \(report.loaded) workflows in \(config.workflows)")
    }

    /// The workflows directory must exist; the state directory must exist (or be creatable) and be writable.
    static func checkDirectories(_ config: DaemonConfiguration) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config.workflows, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StartupFailure("workflows directory \(config.workflows) does not exist (create it or pass --workflows DIR)")
        }
        do {
            try FileManager.default.createDirectory(atPath: config.stateDir, withIntermediateDirectories: true)
        } catch {
            throw StartupFailure("cannot create the state directory \(config.stateDir): \(error.localizedDescription)")
        }
        guard access(config.stateDir, W_OK) == 0 else {
            throw StartupFailure("state directory \(config.stateDir) is not writable by this user")
        }
        let socketDirectory = (config.socket as NSString).deletingLastPathComponent
        if !socketDirectory.isEmpty {
            try? FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        }
    }
}

/// Runs the engine: recovery at start, timers until shutdown, then a bounded drain of in-flight steps.
struct EngineService: Service {
    let engine: RunEngine
    let grace: Double
    let notifier: SystemdNotifier
    var onRecovered: @Sendable () -> Void = {}

    func run() async throws {
        try await self.engine.recover()
        self.onRecovered()
        try? await cancelWhenGracefulShutdown {
            await self.engine.runTimers()
        }
        self.notifier.notify(["STOPPING=1"])
        await self.engine.shutdown(grace: self.grace)
    }
}

/// Runs the cron scheduler once the engine has recovered; stops before the engine drains (services stop in
/// reverse order).
struct SchedulerService: Service {
    let scheduler: CronScheduler
    let engineRecovered: AsyncStream<Void>

    func run() async throws {
        for await _ in self.engineRecovered.cancelOnGracefulShutdown() {}
        guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
        try await self.scheduler.run()
    }
}
