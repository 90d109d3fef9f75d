import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon as systemd sees it: sd_notify, the watchdog, socket activation, MemoryDenyWriteExecute, and the
/// unit files themselves.
@Suite("end to end: systemd", .serialized)
struct SystemdEndToEndTests {
    static let hello = """
        name: hello
        steps:
          greet: { type: transform, with: { value: "hi" } }
        """

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    @Test func notifySocketSeesReadyStatusWatchdogReloadingAndStopping() throws {
        let daemon = try DaemonProcess(workflows: ["hello.yaml": Self.hello])
        defer { daemon.stop() }
        let listener = try NotifyListener(path: daemon.directory + "/notify.sock")
        daemon.environment["NOTIFY_SOCKET"] = listener.path
        daemon.environment["WATCHDOG_USEC"] = "200000"
        try daemon.start()

        let ready = try #require(listener.waitFor { $0.contains("READY=1") }, "no READY=1; got \(listener.messages)")
        #expect(ready.contains("STATUS=1 workflows loaded"), "READY came without the status line: \(ready)")
        // Pings at half of WATCHDOG_USEC (every 100 ms): several within a second.
        _ = listener.waitFor(timeout: 2) { _ in listener.count("WATCHDOG=1") >= 4 }
        #expect(listener.count("WATCHDOG=1") >= 4, "watchdog pings: \(listener.count("WATCHDOG=1"))")

        let pid = try #require(daemon.process?.processIdentifier)
        kill(pid, SIGHUP)
        let reloading = listener.waitFor { $0.contains("RELOADING=1") }
        #expect(reloading != nil, "no RELOADING=1 on SIGHUP: \(listener.messages)")
        let readyAgain = listener.waitFor { _ in listener.count("READY=1") >= 2 }
        #expect(readyAgain != nil, "no READY=1 after the reload: \(listener.messages)")

        #expect(daemon.terminate() == 0)
        #expect(
            listener.waitFor(timeout: 5) { $0.contains("STOPPING=1") } != nil,
            "no STOPPING=1 on SIGTERM: \(listener.messages)"
        )
    }

    @Test func socketActivationServesTheSocketsSystemdPassed() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate") else {
            print("skipped: /usr/bin/systemd-socket-activate is missing (apt-get install systemd)")
            return
        }
        let daemon = try DaemonProcess(workflows: ["hello.yaml": Self.hello])
        defer { daemon.stop() }
        let listener = try NotifyListener(path: daemon.directory + "/notify.sock")
        // systemd-socket-activate binds both sockets, waits for the first connection, then execs triggerd with
        // LISTEN_FDS=2, LISTEN_PID and LISTEN_FDNAMES=control:webhook.
        let process = try DetachedProcess.start(
            [
                "/usr/bin/systemd-socket-activate", "-l", daemon.socket, "-l", "127.0.0.1:\(daemon.port)",
                "--fdname=control:webhook", "-E", "NOTIFY_SOCKET=\(listener.path)",
                DaemonProcess.binDirectory + "/triggerd", "--workflows", daemon.workflows, "--state-dir",
                daemon.stateDir,
                "--socket", daemon.socket, "--listen", "127.0.0.1:\(daemon.port)",
            ],
            log: daemon.logPath
        )
        defer { process.stop(SIGKILL) }
        try daemon.waitUntil("systemd-socket-activate to listen") {
            FileManager.default.fileExists(atPath: daemon.socket)
        }

        let status = daemon.ctl(["status"])
        #expect(status.status == 0, "status over the passed socket failed: \(status.stderr)\n\(daemon.log)")
        #expect(listener.waitFor { $0.contains("READY=1") } != nil)
        let run = daemon.ctl(["run", "hello", "--wait"])
        #expect(run.status == 0, "\(run.stderr)")
        let health = CommandResult.run(["curl", "-s", "http://127.0.0.1:\(daemon.port)/healthz"])
        #expect(
            health.stdout.contains("ok"),
            "the passed webhook listener did not answer: \(health.stdout) \(health.stderr)"
        )
        #expect(daemon.log.contains("Serving sockets passed by systemd"))
        #expect(daemon.log.contains("control=\(daemon.socket)"))

        #expect(process.stop(), "triggerd did not stop on SIGTERM")
        #expect(daemon.log.contains("triggerd stopped"))
    }

    @Test func theDaemonRunsUnderMemoryDenyWriteExecute() throws {
        // PR_SET_MDWE (Linux 6.3+) is the kernel's own form of what MemoryDenyWriteExecute= enforces with
        // seccomp: no mapping may become writable and executable. It is inherited by command steps' children.
        let launcher = """
            import ctypes, os, sys
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(65, 1, 0, 0, 0) != 0:
                sys.exit(77)
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let daemon = try DaemonProcess(workflows: [
            "hello.yaml": Self.hello,
            // The child inherits the restriction: its writable+executable mapping is refused.
            "child.yaml": """
            name: child
            steps:
              py:
                type: inline_code
                with:
                  language: python3
                  code: |
                    import ctypes
                    libc = ctypes.CDLL(None, use_errno=True)
                    libc.mmap.restype = ctypes.c_void_p
                    p = libc.mmap(None, 4096, 7, 0x22, -1, 0)
                    print("rwx " + ("refused" if p in (None, ctypes.c_void_p(-1).value) else "allowed"))
            """,
        ])
        defer { daemon.stop() }
        let script = daemon.directory + "/mdwe.py"
        try launcher.write(toFile: script, atomically: true, encoding: .utf8)
        let probe = CommandResult.run(["python3", script, "/bin/true"])
        guard probe.status == 0 else {
            print("skipped: this kernel has no PR_SET_MDWE (python3 exit \(probe.status))")
            return
        }
        let process = try DetachedProcess.start(
            [
                "/usr/bin/env", "python3", script, DaemonProcess.binDirectory + "/triggerd", "--workflows",
                daemon.workflows,
                "--state-dir", daemon.stateDir, "--socket", daemon.socket, "--listen", "127.0.0.1:\(daemon.port)",
            ],
            log: daemon.logPath
        )
        defer { process.stop(SIGKILL) }
        try daemon.waitUntil("triggerd under MDWE to answer") { daemon.ctl(["status"]).status == 0 }
        #expect(daemon.ctl(["run", "hello", "--wait"]).status == 0, "\(daemon.log)")
        let child = daemon.ctl(["run", "child", "--wait", "--json"])
        #expect(child.status == 0, "\(child.stderr)\n\(daemon.log)")
        #expect(child.stdout.contains("rwx refused"), "MDWE was not in force: \(child.stdout)")
        #expect(process.stop(), "triggerd did not stop on SIGTERM")
        #expect(daemon.log.contains("triggerd stopped"))
    }

    @Test func unitFilesVerifyClean() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            print("skipped: systemd-analyze is missing (make check-units installs it)")
            return
        }
        let result = CommandResult.run(
            ["bash", Self.repositoryRoot + "/scripts/check-units.sh", DaemonProcess.binDirectory + "/triggerd"],
            timeout: 120
        )
        #expect(result.status == 0, "check-units failed:\n\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("systemd-analyze verify: clean"))
    }
}
