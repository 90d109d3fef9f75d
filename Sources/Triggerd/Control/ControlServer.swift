import Engine
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// The control API of SPEC §8: HTTP/1.1 + JSON on the daemon's Unix socket, as one `Service` of its group.
///
/// ```swift
/// let control = try ControlServer(plane: engine, socketPath: config.socket, socketGroup: config.socketGroup,
///                                 logger: logger)
/// services.append(control)
/// ```
///
/// Every request is identified by `SO_PEERCRED` and refused with 403 unless the peer is root, the daemon's user,
/// or a member of `socketGroup`. The socket gets mode 0660 (and that group) as soon as it is bound, and is removed
/// when the service stops. Take `StateDirectoryLock` first: binding removes an existing socket file.
struct ControlServer: Service {
    let plane: any ControlPlane
    let socketPath: String
    let socketGroup: String?
    let logger: Logger
    /// Called once the socket is bound and restricted (e.g. to send `READY=1`).
    let onListening: @Sendable () async -> Void
    let policy: ControlAccessPolicy
    let identifyPeer: @Sendable (any Channel) async throws -> PeerIdentity
    private let socketGroupID: gid_t?
    /// A listening socket systemd passed (`triggerd.socket`); when set, it is served instead of binding
    /// `socketPath`, and the socket file is left to systemd (`SocketMode=`, `SocketGroup=`).
    var adoptedDescriptor: Int32?

    /// A control server for `plane` on `socketPath`.
    ///
    /// Throws `EngineError(.invalidInput)` when `socketGroup` names no group, so a typo stops the daemon at start
    /// rather than leaving the admins locked out.
    init(
        plane: any ControlPlane,
        socketPath: String,
        socketGroup: String?,
        logger: Logger,
        daemonUID: Int = Int(geteuid()),
        onListening: @escaping @Sendable () async -> Void = {}
    ) throws {
        try self.init(
            plane: plane,
            socketPath: socketPath,
            socketGroup: socketGroup,
            logger: logger,
            daemonUID: daemonUID,
            onListening: onListening,
            identifyPeer: { channel in
                PeerIdentityResolver.identity(of: try await PeerCredentials.read(from: channel))
            }
        )
    }

    /// As above, with the peer identification replaced (tests: the router test channel has no socket).
    init(
        plane: any ControlPlane,
        socketPath: String,
        socketGroup: String?,
        logger: Logger,
        daemonUID: Int,
        onListening: @escaping @Sendable () async -> Void = {},
        identifyPeer: @escaping @Sendable (any Channel) async throws -> PeerIdentity
    ) throws {
        let group = socketGroup.flatMap { $0.isEmpty ? nil : $0 }
        if let group {
            guard let gid = PeerIdentityResolver.groupID(named: group) else {
                throw EngineError(.invalidInput, "socket_group '\(group)' is not a group on this system")
            }
            self.socketGroupID = gid
        } else {
            self.socketGroupID = nil
        }
        self.plane = plane
        self.socketPath = socketPath
        self.socketGroup = group
        self.logger = logger
        self.onListening = onListening
        self.policy = ControlAccessPolicy(daemonUID: daemonUID, adminGroup: group)
        self.identifyPeer = identifyPeer
    }

    /// Serves until graceful shutdown, then removes the socket file.
    func run() async throws {
        if let descriptor = self.adoptedDescriptor {
            try await ActivatedHTTPServer(application: self.makeApplication(), descriptor: descriptor).run()
            return
        }
        let file = ControlSocketFile(path: self.socketPath)
        try file.checkBeforeBinding()
        defer { file.remove() }
        try await self.makeApplication().run()
    }

    /// The API and the console pages, shared by the socket and the TCP listener (`ConsoleTCPServer`).
    static func addRoutes(plane: any ControlPlane, csrf: ConsoleCSRF = ConsoleCSRF(), to router: Router<ControlRequestContext>) {
        ControlRoutes(plane: plane).add(to: router)
        ConsoleRoutes(plane: plane, csrf: csrf).add(to: router)
    }

    /// The Hummingbird application: error mapping outermost, then the access check, then the routes.
    func makeApplication() -> Application<RouterResponder<ControlRequestContext>> {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: ControlErrorMiddleware<ControlRequestContext>())
        // Console pages (outside /v1/) answer failures with an HTML page instead of JSON.
        router.add(middleware: ConsoleErrorMiddleware<ControlRequestContext>())
        router.add(middleware: PeerAccessMiddleware(policy: self.policy, identify: self.identifyPeer))
        Self.addRoutes(plane: self.plane, to: router)
        let file = ControlSocketFile(path: self.socketPath)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: self.socketPath), serverName: nil),
            onServerRunning: { [logger, socketGroupID, onListening, adoptedDescriptor] _ in
                for failure in adoptedDescriptor == nil ? file.restrict(groupID: socketGroupID) : [] {
                    logger.error("Cannot restrict the control socket", metadata: ["error": "\(failure)"])
                }
                logger.notice("Control API listening", metadata: ["socket": "\(file.path)"])
                await onListening()
            },
            logger: self.logger
        )
    }
}
