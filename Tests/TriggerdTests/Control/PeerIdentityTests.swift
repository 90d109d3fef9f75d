import Engine
import Testing

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Peer identity")
struct PeerIdentityTests {
    @Test func credentialsOfASocketPairAreThisProcess() throws {
        var fds: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let credentials = try PeerCredentials(socket: fds[0])
        #expect(credentials == PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid()))
    }

    @Test func credentialsOfSomethingThatIsNotASocketFail() {
        #expect(throws: EngineError.self) { try PeerCredentials(socket: -1) }
    }

    @Test func rootResolvesToItsNameAndGroup() {
        let identity = PeerIdentityResolver.identity(of: PeerCredentials(uid: 0, gid: 0, pid: 1))
        #expect(identity.uid == 0)
        #expect(identity.user == "root")
        #expect(identity.groups.first == "root")
    }

    @Test func aUidWithoutPasswdEntryIsNamedByNumber() {
        let identity = PeerIdentityResolver.identity(of: PeerCredentials(uid: 54_321, gid: 0, pid: 1))
        #expect(identity == PeerIdentity(uid: 54_321, user: "54321", groups: ["root"]))
    }

    @Test func policyAllowsRootTheDaemonAndTheAdminGroupOnly() {
        let policy = ControlAccessPolicy(daemonUID: 990, adminGroup: "triggerd-admin")
        #expect(policy.refusal(for: PeerIdentity(uid: 0, user: "root", groups: ["root"])) == nil)
        #expect(policy.refusal(for: PeerIdentity(uid: 990, user: "triggerd", groups: ["triggerd"])) == nil)
        #expect(
            policy.refusal(for: PeerIdentity(uid: 1000, user: "alice", groups: ["alice", "triggerd-admin"])) == nil
        )
        #expect(
            policy.refusal(for: PeerIdentity(uid: 1001, user: "bob", groups: ["bob"]))
                == "control socket refused: uid 1001 (bob) is not root, the daemon's user, or a member of group 'triggerd-admin'"
        )
    }
}
