import Engine
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// Serves a Hummingbird application on a listening socket systemd passed in (socket activation).
///
/// Hummingbird 2 binds only addresses it is given (`BindAddress` has no file-descriptor case), so this
/// service does what its `Server` does, over NIO's `ServerBootstrap.bind(_:)` for an already bound socket:
/// the same HTTP/1.1 child channel, the application's responder and `onServerRunning`, and a graceful
/// shutdown that stops accepting, lets open requests finish, then closes. NIO owns the descriptor from here
/// and closes it when the server stops (systemd keeps its own copy, so the socket stays bound for the next
/// start).
struct ActivatedHTTPServer<Responder: HTTPResponder>: Service
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let application: Application<Responder>
    /// The listening socket from `SocketActivation`.
    let descriptor: Int32
    /// The child channels' configuration (the webhook listener's idle timeout); the connection cap comes from
    /// the application's `availableConnectionsDelegate`, as with Hummingbird's own server.
    var http1: HTTP1Channel.Configuration = .init()

    func run() async throws {
        let logger = self.application.logger
        let responder = self.application.responder
        let childChannel = HTTP1Channel(responder: { request, responseWriter, channel in
            let context = Responder.Context(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            let response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                // As Hummingbird's Application: an error no middleware turned into a response is an empty 500.
                logger.debug("Unhandled error in a responder", metadata: [LogKey.error: "\(error)"])
                response = Response(status: .internalServerError)
            }
            try await responseWriter.write(response: response.head, body: response.body)
        }, configuration: self.http1)
        let connections = self.application.configuration.availableConnectionsDelegate
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let connections { try channel.pipeline.syncOperations.addHandler(Self.acceptGate(connections)) }
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let server = try await bootstrap.bind(NIOBSDSocket.Handle(self.descriptor)) { channel in
            childChannel.setup(channel: channel, logger: logger)
        }
        try await withGracefulShutdownHandler {
            await self.application.onServerRunning(server.channel)
            await withDiscardingTaskGroup { connections in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await childChannel.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("Activated socket stopped accepting", metadata: [LogKey.error: "\(error)"])
                }
            }
        } onGracefulShutdown: {
            // Closes the listening channel (ending `inbound`) and asks open connections to finish and close.
            let done = server.channel.eventLoop.makePromise(of: Void.self)
            quiescing.initiateShutdown(promise: done)
        }
    }

    /// Hummingbird's accept gate for a delegate (its own factory for this is internal): stops reading the
    /// listening socket while the delegate says no.
    private static func acceptGate(_ delegate: some AvailableConnectionsDelegate) -> any ChannelHandler {
        AvailableConnectionsChannelHandler(delegate: delegate)
    }
}
