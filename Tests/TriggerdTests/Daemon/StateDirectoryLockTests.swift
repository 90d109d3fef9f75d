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
        // pid 1 always exists, so the holder counts as a live daemon.
        var first: StateDirectoryLock? = try StateDirectoryLock.acquire(stateDirectory: directory, pid: 1)
        #expect(first?.path == "\(directory)/triggerd.lock")
        #expect(try String(contentsOfFile: "\(directory)/triggerd.lock", encoding: .utf8) == "1\n")

        let refusal = #expect(throws: StateDirectoryLock.Refusal.self) {
            try StateDirectoryLock.acquire(stateDirectory: directory)
        }
        #expect(refusal?.holderPID == 1)
        #expect(refusal?.description == "another triggerd (pid 1) holds \(directory)/triggerd.lock")

        // Releasing the first lock lets the next daemon in, which records its own pid.
        first = nil
        let second = try StateDirectoryLock.acquire(stateDirectory: "\(directory)/")
        #expect(try String(contentsOfFile: second.path, encoding: .utf8) == "\(getpid())\n")
        _ = first
    }

    /// After `kill -9`, a child the dead daemon was starting can hold the inherited lock for a moment.
    @Test func aLockLeftByAnExitedHolderIsWaitedForThenExplained() throws {
        let directory = try UnixTestSocket.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The lock as the orphan holds it: locked through its own descriptor, with the dead daemon's pid
        // (Int32.max is above any pid_max: no such process).
        let path = "\(directory)/triggerd.lock"
        let orphan = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(orphan >= 0 && flock(orphan, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("\(Int32.max)\n".utf8)
        #expect(pid.withUnsafeBytes { pwrite(orphan, $0.baseAddress, $0.count, 0) } == pid.count)

        let refusal = #expect(throws: StateDirectoryLock.Refusal.self) {
            try StateDirectoryLock.acquire(stateDirectory: directory, orphanGrace: 0.1)
        }
        #expect(refusal?.holderPID == Int32.max)
        #expect(
            refusal?.description
                == "\(path) is still locked although triggerd (pid \(Int32.max)) has exited: a process it started "
                + "holds the lock; find it with 'fuser -v \(path)', stop it, and start again")

        // Released while the next daemon waits (as the orphan's exec would): it gets the lock instead of refusing.
        let release = Thread {
            usleep(200_000)
            close(orphan)
        }
        release.start()
        let next = try StateDirectoryLock.acquire(stateDirectory: directory, orphanGrace: 5)
        #expect(try String(contentsOfFile: next.path, encoding: .utf8) == "\(getpid())\n")
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
