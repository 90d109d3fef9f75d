import Engine
import Hummingbird
import NIOCore

/// The request context of the control API: Hummingbird's core storage, the connection it came in on (for
/// `SO_PEERCRED`), and the peer identity `PeerAccessMiddleware` vouched for.
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The accepted connection; its socket tells who the peer is.
    let channel: any Channel
    /// Set by `PeerAccessMiddleware` before any route runs; nil only if a route is reached without it.
    var peer: PeerIdentity?
    /// Over TCP, the role the requester's token (or the proxy setting) grants; nil on the socket, whose peers may
    /// do everything.
    var role: ConsoleToken.Role?
    /// What console CSRF tokens are bound to: nil on the socket (the peer's uid), a session, token or proxy user
    /// over TCP.
    var csrfIdentity: String?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.peer = nil
        self.role = nil
        self.csrfIdentity = nil
    }

    /// Control requests are small JSON documents; anything bigger is a mistake.
    var maxUploadSize: Int { 1 << 20 }
}
