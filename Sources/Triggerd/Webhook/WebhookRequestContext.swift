import Hummingbird
import NIOCore

/// The request context of the webhook listener: Hummingbird's core storage and the connection's peer address.
struct WebhookRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The accepted connection (its peer address goes into refusal log lines).
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// `ip:port` of the peer, when known.
    var remoteAddress: String? {
        guard let address = self.channel.remoteAddress else { return nil }
        guard let ip = address.ipAddress else { return address.description }
        return address.port.map { "\(ip):\($0)" } ?? ip
    }
}
