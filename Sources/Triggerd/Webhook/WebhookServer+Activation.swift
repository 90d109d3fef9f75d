import Engine
import Logging
import ServiceLifecycle

/// The webhook listener on a socket systemd passed (`triggerd.socket`), in place of `WebhookServer`'s own bind.
///
/// It serves `WebhookServer.makeApplication()` through `ActivatedHTTPServer` and keeps what `WebhookServer.run()`
/// adds around the application: the run-metrics recorder, and answering 503 from the start of graceful shutdown.
struct ActivatedWebhookServer: Service {
    let server: WebhookServer
    /// The listening TCP socket from `SocketActivation`.
    let descriptor: Int32

    func run() async throws {
        let recorder = RunMetricsRecorder(engine: self.server.engine, metrics: self.server.metrics)
        let http = ActivatedHTTPServer(
            application: self.server.makeApplication(), descriptor: self.descriptor, http1: self.server.limits.http1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await recorder.run() }
            defer { group.cancelAll() }
            try await withGracefulShutdownHandler {
                try await http.run()
            } onGracefulShutdown: {
                self.server.ingest.beginShutdown()
            }
        }
    }
}
