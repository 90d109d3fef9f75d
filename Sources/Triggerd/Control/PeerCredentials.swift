import CTriggerd
import Engine
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Who the kernel says is at the other end of a Unix-socket connection (`SO_PEERCRED`): numbers only, resolved to
/// names by `PeerIdentityResolver`.
struct PeerCredentials: Sendable, Equatable {
    var uid: UInt32
    var gid: UInt32
    var pid: Int32

    /// Reads the credentials of an accepted connection through NIO's socket-option access.
    ///
    /// Throws `EngineError(.internal)` when the channel is not a socket (nothing to vouch for the peer) or the
    /// platform has no `SO_PEERCRED`.
    static func read(from channel: any Channel) async throws -> PeerCredentials {
        let option = ctriggerd_so_peercred()
        guard option >= 0, let provider = channel as? any SocketOptionProvider else {
            throw EngineError(.internal, "cannot read the peer credentials of this control connection")
        }
        // `ctriggerd_peer_credentials` has the layout of `struct ucred` (checked in CSystem/peercred.c), which the
        // kernel writes for SO_PEERCRED, so reading the option as that struct is sound.
        let raw: ctriggerd_peer_credentials = try await provider.unsafeGetSocketOption(
            level: .socket,
            name: NIOBSDSocket.Option(rawValue: option)
        ).get()
        return PeerCredentials(uid: raw.uid, gid: raw.gid, pid: raw.pid)
    }

    /// Reads the credentials of the peer of the connected Unix socket `fd`.
    init(socket fd: Int32) throws {
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        var pid: Int32 = 0
        guard ctriggerd_peer_cred(fd, &uid, &gid, &pid) == 0 else {
            throw EngineError(
                .internal,
                "cannot read peer credentials of socket \(fd): \(String(cString: strerror(errno)))"
            )
        }
        self.init(uid: uid, gid: gid, pid: pid)
    }

    init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }
}
