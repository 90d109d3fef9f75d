#if canImport(Glibc)
    import Glibc
#endif

/// A `sockaddr_un` for a file-system path or, written with a leading `@`, a Linux abstract name (the form systemd
/// uses in `$NOTIFY_SOCKET`).
struct UnixSocketAddress: Sendable {
    /// `sun_path` holds 108 bytes; a path needs one of them for its terminating NUL.
    static let capacity = 108

    /// The bytes of `sun_path`: the path and its NUL, or a NUL followed by the abstract name.
    private let pathBytes: [UInt8]

    /// Nil when `text` is empty or too long for `sun_path`.
    init?(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "@") {
            // Abstract names are length-delimited, not NUL-terminated: the leading NUL is what marks them.
            bytes[0] = 0
            guard bytes.count > 1, bytes.count <= Self.capacity else { return nil }
        } else {
            guard !bytes.isEmpty, bytes.count < Self.capacity, !bytes.contains(0) else { return nil }
            bytes.append(0)
        }
        self.pathBytes = bytes
    }

    /// Calls `body` with the address and its length, as `bind`, `connect` and `sendto` take them.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            raw.copyBytes(from: self.pathBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(pathOffset + self.pathBytes.count)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
