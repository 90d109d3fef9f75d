import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §8 access on a real host: the control socket refuses a second, ordinary user and lets a member of
/// `socket_group` in. Creates (and removes) real users and a group, so it needs root.
@Suite("end to end: control socket access", .serialized)
struct AccessEndToEndTests {
    @Test(.enabled(if: SystemAccounts.available, "creating the test users (useradd) needs root"))
    func anOrdinaryUserIsRefusedAndAnAdminGroupMemberIsAllowed() throws {
        let accounts = SystemAccounts()
        defer { accounts.remove() }
        let group = try accounts.group("tdgrp")
        let outsider = try accounts.user("tdtest", groups: [])
        let admin = try accounts.user("tdadm", groups: [group])

        let daemon = try DaemonProcess(
            workflows: ["hello.yaml": "name: hello\nsteps:\n  a: { type: transform, with: { value: 1 } }\n"],
            config: "socket_group: \(group)\n"
        )
        defer { daemon.stop() }
        try daemon.start()
        // The test's directory must be traversable by the other users to reach the socket at all.
        chmod(daemon.directory, 0o755)

        var info = stat()
        #expect(stat(daemon.socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        let gid = try #require(getgrnam(group)?.pointee.gr_gid)
        #expect(info.st_gid == gid, "the socket's group is not \(group)")

        // A member of socket_group: allowed, by the file mode and by the daemon.
        let allowed = daemon.ctl(["status"], user: admin)
        #expect(allowed.status == 0, "admin-group member refused: \(allowed.stderr)")
        #expect(allowed.stdout.contains("triggerd "))
        let run = daemon.ctl(["run", "hello", "--wait"], user: admin)
        #expect(run.status == 0, "\(run.stderr)")

        // An ordinary user: the 0660 mode already keeps them out of the socket file...
        let blocked = daemon.ctl(["status"], user: outsider)
        #expect(blocked.status != 0)
        #expect(blocked.stderr.lowercased().contains("permission denied"), "\(blocked.stderr)")

        // ...and with the file opened to everyone, the daemon's SO_PEERCRED check refuses them itself.
        chmod(daemon.socket, 0o666)
        let refused = daemon.ctl(["status"], user: outsider)
        #expect(
            refused.status == 1,
            "outsider not refused by the daemon: \(refused.status) \(refused.stdout) \(refused.stderr)"
        )
        let uid = try #require(accounts.uid(of: outsider))
        #expect(
            refused.stderr.contains(
                "control socket refused: uid \(uid) (\(outsider)) is not root, the daemon's user, or a member of group '\(group)'"
            ),
            "\(refused.stderr)"
        )
        #expect(daemon.ctl(["run", "hello"], user: outsider).status == 1)
        #expect(daemon.ctl(["status"], user: admin).status == 0)
        #expect(daemon.log.contains("Control request refused"))
        #expect(daemon.log.contains("peer.user=\(outsider)"))
    }
}
