import Engine
import Hummingbird
import Logging
import ServiceLifecycle

/// The webhook listener of SPEC §5 on TCP (`--listen`), as one `Service` of the daemon's group.
///
/// ```swift
/// let server = WebhookServer(ingest: ingest, metrics: metrics, engine: engine, host: "127.0.0.1", port: 8780,
///                            logger: logger)
/// services.append(.init(service: server))
/// ```
///
/// On graceful shutdown it answers 503 to every new delivery, lets in-flight ones finish (their commits still
/// land: the engine stops after this service), then stops. A failure to bind ends `run()` with an error that
/// names the address; it never traps.
struct WebhookServer: Service {
    let ingest: WebhookIngest
    let metrics: Metrics
    let engine: RunEngine
    let host: String
    let port: Int
    let logger: Logger
    /// Idle timeout and connection cap (slow and crowding clients).
    let limits: ListenerLimits

    init(
        ingest: WebhookIngest, metrics: Metrics, engine: RunEngine, host: String, port: Int, logger: Logger,
        limits: ListenerLimits = ListenerLimits()
    ) {
        self.ingest = ingest
        self.metrics = metrics
        self.engine = engine
        self.host = host
        self.port = port
        self.logger = logger
        self.limits = limits
        // Run and step metrics: a collector and a step observer, registered once per server.
        RunMetricsRecorder.register(engine: engine, metrics: metrics)
    }

    func run() async throws {
        let application = self.makeApplication()
        do {
            try await withGracefulShutdownHandler {
                try await application.run()
            } onGracefulShutdown: {
                self.ingest.beginShutdown()
            }
        } catch {
            throw WebhookListenerFailure(address: "\(self.host):\(self.port)", underlying: error)
        }
    }

    /// The Hummingbird application: one responder for every path.
    func makeApplication() -> Application<WebhookResponder> {
        let logger = self.logger
        let address = "\(self.host):\(self.port)"
        return Application(
            responder: WebhookResponder(
                ingest: self.ingest, metrics: self.metrics, bodyTimeout: self.limits.idleTimeout),
            server: .http1(configuration: self.limits.http1),
            configuration: ApplicationConfiguration(
                address: .hostname(self.host, port: self.port), serverName: nil,
                availableConnectionsDelegate: self.limits.connectionsDelegate(logger: self.logger)),
            onServerRunning: { _ in
                logger.notice("Webhook listener ready", metadata: ["listen": "\(address)"])
            },
            logger: self.logger
        )
    }
}

/// The listener could not start or stopped on an error; says which address.
struct WebhookListenerFailure: Error, CustomStringConvertible {
    let address: String
    let underlying: any Error

    var description: String { "webhook listener on \(self.address) failed: \(self.underlying)" }
}
