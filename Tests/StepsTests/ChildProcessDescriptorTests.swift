import Engine
import Foundation
import Testing

@testable import Steps

#if canImport(Glibc)
    import Glibc
#endif

/// A `command` child gets stdin, stdout and stderr, nothing else. Found by `bench/torture.py`: children inherited
/// the daemon's listening sockets (not all close-on-exec), so one that outlived a SIGKILLed daemon kept the
/// webhook port bound and the restarted daemon failed with "address already in use" until the child exited.
@Suite("command: descriptors a child inherits")
struct ChildProcessDescriptorTests {
    @Test func aChildSeesOnlyItsStandardDescriptors() async throws {
        // Stands for the daemon's sockets: a descriptor opened without close-on-exec.
        let leaked = open("/dev/null", O_RDONLY)
        #expect(leaked >= 3)
        defer { close(leaked) }
        let probe = "for fd in 0 1 2 \(leaked); do [ -e /proc/$$/fd/$fd ] && printf '%s ' $fd; done; true"
        let outcome = try await CommandStep().execute(StepTesting.request("command", ["argv": ["sh", "-c", .string(probe)]]))
        let output = try StepTesting.output(outcome)
        #expect(output["stdout"] == "0 1 2 ")
    }
}
