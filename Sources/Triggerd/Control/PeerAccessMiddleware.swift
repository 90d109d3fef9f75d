import Engine
import Hummingbird
import Logging
import NIOCore

/// Identifies the peer of every request and refuses those `ControlAccessPolicy` does not allow, before any route
/// runs. Refusals are `EngineError(.forbidden)`, which `ControlErrorMiddleware` turns into a 403.
struct PeerAccessMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    let policy: ControlAccessPolicy
    /// Reads and resolves the peer of a connection (`SO_PEERCRED` in the daemon, a fixed identity in tests).
    let identify: @Sendable (any Channel) async throws -> PeerIdentity

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let peer: PeerIdentity
        do {
            peer = try await self.identify(context.channel)
        } catch {
            // A peer nobody can vouch for is refused, never let through.
            throw EngineError(
                .forbidden,
                "control socket refused: cannot identify the peer of this connection (\(error))"
            )
        }
        if let refusal = self.policy.refusal(for: peer) {
            context.logger.notice(
                "Control request refused",
                metadata: ["peer.uid": "\(peer.uid)", "peer.user": "\(peer.user)"]
            )
            throw EngineError(.forbidden, refusal)
        }
        var context = context
        context.peer = peer
        return try await next(request, context)
    }
}
