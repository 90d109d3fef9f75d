import Engine
import Logging
import ServiceLifecycle

/// The webhook listener on a socket systemd passed (`triggerd.socket`), in place of `WebhookServer`'s own bind.
///
/// It serves `WebhookServer.makeApplication()` through `ActivatedHTTPServer` and keeps what `WebhookServer.run()`
/// adds around the application: answering 503 from the start of graceful shutdown. (The server's run-metrics
/// recorder was registered when it was made.)
struct ActivatedWebhookServer: Service {
    let server: WebhookServer
    /// The listening TCP socket from `SocketActivation`.
    let descriptor: Int32

    func run() async throws {
        let http = ActivatedHTTPServer(
            application: self.server.makeApplication(), descriptor: self.descriptor, http1: self.server.limits.http1)
        try await withGracefulShutdownHandler {
            try await http.run()
        } onGracefulShutdown: {
            self.server.ingest.beginShutdown()
        }
    }
}
