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
        let redactor = Redactor(secrets: secrets.values)
        let format = LineLogHandler.Format(rawValue: config.logFormat) ?? .text
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, logLevel: level, redactor: redactor) }
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
        if let problem = PortProbe.problem(host: address.host, port: address.port) {
            throw StartupFailure("cannot listen on \(config.listen): \(problem)")
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
        let registry = StepLibrary.registry(configuration: config, secrets: secrets, environment: self.environment)
        let engine = RunEngine(store: store, registry: registry, clock: clock, logger: logger, secrets: secrets, env: allowedEnv)
        let core = DaemonCore(configuration: config, engine: engine, secrets: secrets, clock: clock, logger: logger)
        let report = await core.reload()
        let notifier = SystemdNotifier(environment: self.environment)
        let rejected = report.errors.map(\.file)
        var startMetadata: Logger.Metadata = [
            "version": "\(DaemonCore.version)", "listen": "\(config.listen)", "socket": "\(config.socket)",
            "workflows": "\(report.loaded)", "rejected": "\(rejected.count)",
        ]
        if !rejected.isEmpty { startMetadata["rejected.files"] = "\(rejected.joined(separator: ","))" }
        logger.notice("triggerd starting", metadata: startMetadata)

        let control = try ControlServer(
            plane: core, socketPath: config.socket, socketGroup: config.socketGroup, logger: logger,
            onListening: {
                let counts = await core.definitions.count
                notifier.notify(["READY=1", "STATUS=\(counts) workflows loaded"])
            })
        let engineService = EngineService(engine: engine, grace: config.shutdownGrace, notifier: notifier)
        let watcher = WorkflowWatcher(directory: config.workflows, core: core, notifier: notifier, logger: logger)
        // ServiceGroup stops services in reverse order: the control socket stops first, the engine drains
        // next, and the watchdog keeps pinging until the very end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watchdog = WatchdogService(notifier: notifier, environment: self.environment) {
            services.append(.init(service: watchdog))
        }
        services += [.init(service: engineService), .init(service: watcher), .init(service: control)]
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

    func run() async throws {
        try await self.engine.recover()
        try? await cancelWhenGracefulShutdown {
            await self.engine.runTimers()
        }
        self.notifier.notify(["STOPPING=1"])
        await self.engine.shutdown(grace: self.grace)
    }
}
