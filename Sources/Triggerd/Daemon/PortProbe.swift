import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks that the listener's address can be bound before anything else starts, so "address in use" is one
/// clear line instead of a failure deep inside the server.
enum PortProbe {
    static func problem(host: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else { return "cannot resolve '\(host)': \(String(cString: gai_strerror(rc)))" }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            return errno == EADDRINUSE ? "address already in use" : String(cString: strerror(errno))
        }
        return nil
    }
}
