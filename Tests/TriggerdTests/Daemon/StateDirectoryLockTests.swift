import Foundation
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("State directory lock")
struct StateDirectoryLockTests {
    @Test func secondLockNamesTheHolderPid() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var first: StateDirectoryLock? = try StateDirectoryLock.acquire(stateDirectory: directory, pid: 1234)
        #expect(first?.path == "\(directory)/triggerd.lock")
        #expect(try String(contentsOfFile: "\(directory)/triggerd.lock", encoding: .utf8) == "1234\n")

        let refusal = #expect(throws: StateDirectoryLock.Refusal.self) {
            try StateDirectoryLock.acquire(stateDirectory: directory)
        }
        #expect(refusal?.holderPID == 1234)
        #expect(refusal?.description == "another triggerd (pid 1234) holds \(directory)/triggerd.lock")

        // Releasing the first lock lets the next daemon in, which records its own pid.
        first = nil
        let second = try StateDirectoryLock.acquire(stateDirectory: "\(directory)/")
        #expect(try String(contentsOfFile: second.path, encoding: .utf8) == "\(getpid())\n")
        _ = first
    }

    @Test func aMissingDirectoryIsAClearError() {
        let refusal = #expect(throws: StateDirectoryLock.Refusal.self) {
            try StateDirectoryLock.acquire(stateDirectory: "/nonexistent/triggerd-state")
        }
        #expect(
            refusal?.description
                == "cannot open the lock file /nonexistent/triggerd-state/triggerd.lock: No such file or directory"
        )
    }
}
