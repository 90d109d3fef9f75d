import Engine
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The console and the `/v1/` API on TCP (`console.listen`, SPEC §11), as one `Service` of the daemon's group.
///
/// The routes are the control socket's (`ControlServer.addRoutes`); only the identity differs:
/// `ConsoleTCPAccessMiddleware` replaces `SO_PEERCRED` with a token, a session or a proxy header, and refuses
/// what the requester's role does not allow.
struct ConsoleTCPServer: Service {
    let plane: any ControlPlane
    let settings: ConsoleListenerConfiguration
    let address: ListenAddress
    let logger: Logger
    var peerAddress: @Sendable (any Channel) -> String? = { $0.remoteAddress?.ipAddress }

    func run() async throws {
        try await self.makeApplication().run()
    }

    func makeApplication() -> Application<RouterResponder<ControlRequestContext>> {
        let router = Router(context: ControlRequestContext.self)
        let sessions = ConsoleSessions()
        let csrf = ConsoleCSRF()
        router.add(middleware: ConsoleChallengeMiddleware<ControlRequestContext>())
        router.add(middleware: ControlErrorMiddleware<ControlRequestContext>())
        router.add(middleware: ConsoleErrorMiddleware<ControlRequestContext>())
        router.add(
            middleware: ConsoleTCPAccessMiddleware(
                plane: self.plane, settings: self.settings, sessions: sessions, csrf: csrf, peerAddress: self.peerAddress))
        ConsoleLoginRoutes(plane: self.plane, sessions: sessions, csrf: csrf, auth: self.settings.auth).add(to: router)
        ControlServer.addRoutes(plane: self.plane, csrf: csrf, to: router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(self.address.host, port: self.address.port), serverName: nil),
            onServerRunning: { [logger, settings] _ in
                logger.notice(
                    "Console listening", metadata: ["listen": "\(settings.listen)", "auth": "\(settings.auth.rawValue)"])
            },
            logger: self.logger
        )
    }
}
