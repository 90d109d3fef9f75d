#if canImport(Glibc)
    import Glibc
#endif

/// `sd_listen_fds(3)` written by hand: the listening sockets systemd passed (`triggerd.socket`), as
/// `$LISTEN_PID`, `$LISTEN_FDS` and `$LISTEN_FDNAMES` describe them, starting at descriptor 3.
///
/// Each socket gets a role: `FileDescriptorName=control` or `=webhook` decide when given; otherwise a Unix
/// socket is the control socket and a TCP socket the webhook listener. Every passed descriptor is marked
/// close-on-exec at once, so child processes of `command` steps never inherit it.
struct SocketActivation: Sendable, Equatable {
    /// What the daemon serves on a passed socket.
    enum Role: String, Sendable {
        case control, webhook
    }

    /// One passed socket.
    struct Socket: Sendable, Equatable {
        var descriptor: Int32
        /// Its `LISTEN_FDNAMES` entry (systemd defaults it to the socket unit's name).
        var name: String
        /// `AF_UNIX`, `AF_INET` or `AF_INET6`.
        var family: Int32
        /// The bound address: a path, or `HOST:PORT`.
        var address: String
    }

    /// A passed descriptor that cannot be used, with what is wrong.
    struct Failure: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// systemd passes descriptors from here on (`SD_LISTEN_FDS_START`).
    static let firstDescriptor: Int32 = 3

    /// The control socket, if one was passed.
    var control: Socket?
    /// The webhook listener, if one was passed.
    var webhook: Socket?

    /// The sockets systemd passed to this process, or nil when it passed none (not socket-activated, or the
    /// variables are meant for another process: `$LISTEN_PID` is not ours).
    ///
    /// - Throws: `Failure` for malformed variables, a descriptor that is not a listening stream socket of a
    ///   known family, or two sockets for the same role.
    static func fromEnvironment(_ environment: [String: String], ownPID: Int32 = getpid()) throws(Failure)
        -> SocketActivation?
    {
        guard let pidText = environment["LISTEN_PID"], let fdsText = environment["LISTEN_FDS"] else { return nil }
        guard let pid = Int32(pidText), let count = Int32(fdsText), count >= 0 else {
            throw Failure(
                description: "socket activation: LISTEN_PID='\(pidText)' and LISTEN_FDS='\(fdsText)' must be numbers"
            )
        }
        guard pid == ownPID, count > 0 else { return nil }
        var names = (environment["LISTEN_FDNAMES"] ?? "").split(separator: ":", omittingEmptySubsequences: false).map(
            String.init
        )
        if names.count != Int(count) { names = Array(repeating: "unknown", count: Int(count)) }
        var sockets: [Socket] = []
        for index in 0..<count {
            let descriptor = Self.firstDescriptor + index
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            sockets.append(try Self.inspect(descriptor, name: names[Int(index)]))
        }
        return try Self.assign(sockets)
    }

    /// Gives each socket its role: by name first, then by address family.
    static func assign(_ sockets: [Socket]) throws(Failure) -> SocketActivation {
        var activation = SocketActivation()
        for socket in sockets {
            let role: Role
            if let named = Role(rawValue: socket.name) {
                role = named
            } else {
                role = socket.family == AF_UNIX ? .control : .webhook
            }
            switch role {
            case .control:
                guard socket.family == AF_UNIX else {
                    throw Failure(
                        description:
                            "socket activation: the control socket must be a Unix socket, got \(socket.address)"
                    )
                }
                guard activation.control == nil else {
                    throw Failure(description: "socket activation: two control sockets passed (\(socket.address))")
                }
                activation.control = socket
            case .webhook:
                guard socket.family != AF_UNIX else {
                    throw Failure(
                        description:
                            "socket activation: the webhook listener must be a TCP socket, got \(socket.address)"
                    )
                }
                guard activation.webhook == nil else {
                    throw Failure(description: "socket activation: two webhook listeners passed (\(socket.address))")
                }
                activation.webhook = socket
            }
        }
        return activation
    }

    /// Checks that `descriptor` is a listening stream socket and reads its family and address.
    static func inspect(_ descriptor: Int32, name: String) throws(Failure) -> Socket {
        func option(_ name: Int32) -> Int32? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        guard let type = option(SO_TYPE) else {
            throw Failure(description: "socket activation: descriptor \(descriptor) ('\(name)') is not a socket")
        }
        guard type == Int32(SOCK_STREAM.rawValue), option(SO_ACCEPTCONN) == 1 else {
            throw Failure(
                description:
                    "socket activation: descriptor \(descriptor) ('\(name)') is not a listening stream socket (use ListenStream=)"
            )
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let read = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard read == 0 else {
            throw Failure(
                description: "socket activation: cannot read the address of descriptor \(descriptor) ('\(name)')"
            )
        }
        let family = Int32(storage.ss_family)
        guard [AF_UNIX, AF_INET, AF_INET6].contains(family) else {
            throw Failure(
                description:
                    "socket activation: descriptor \(descriptor) ('\(name)') has address family \(family); expected Unix or TCP"
            )
        }
        return Socket(descriptor: descriptor, name: name, family: family, address: Self.describe(&storage))
    }

    /// A path for a Unix socket, `HOST:PORT` (`[HOST]:PORT` for IPv6) otherwise.
    private static func describe(_ storage: inout sockaddr_storage) -> String {
        withUnsafeMutablePointer(to: &storage) { raw -> String in
            switch Int32(raw.pointee.ss_family) {
            case AF_UNIX:
                return raw.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { unix in
                    withUnsafeBytes(of: &unix.pointee.sun_path) { bytes in
                        let path = bytes.prefix { $0 != 0 }
                        return path.isEmpty ? "(unnamed)" : String(decoding: path, as: UTF8.self)
                    }
                }
            case AF_INET:
                return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    var address = inet.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + ":\(UInt16(bigEndian: inet.pointee.sin_port))"
                }
            default:
                return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet in
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    var address = inet.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    return "[" + String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + "]:\(UInt16(bigEndian: inet.pointee.sin6_port))"
                }
            }
        }
    }
}
