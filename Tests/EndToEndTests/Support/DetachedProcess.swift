import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process started in the background through `bash -c 'ARGV &'`, so it is not a child of the test process.
///
/// Foundation's `Process` loses track of a child that replaces itself with another program (as
/// `systemd-socket-activate` and the MDWE launcher do with `exec`): it stops reaping the test's other
/// children. Detached, the process is watched through `/proc` instead, and its output goes to `log`.
final class DetachedProcess {
    let pid: Int32
    /// Set once `stop` saw the process exit, so a later `stop` never signals a reused pid.
    private var exited = false

    private init(pid: Int32) { self.pid = pid }

    /// Starts `argv` with `environment` added, stdout and stderr appended to `log`.
    static func start(_ argv: [String], environment: [String: String] = [:], log: String) throws -> DetachedProcess {
        func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let assignments = environment.map { quote("\($0.key)=\($0.value)") }.joined(separator: " ")
        // Close every descriptor above stderr first: the test's pipes would otherwise live on in the background
        // process (through an exec), and whoever reads them to the end would wait for it.
        let closeInherited =
            "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null"
        let command =
            "\(closeInherited); env \(assignments) \(argv.map(quote).joined(separator: " ")) >>\(quote(log)) 2>&1 </dev/null & echo $!"
        let result = CommandResult.run(["/bin/bash", "-c", command])
        guard result.status == 0, let pid = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw E2EError("cannot start \(argv.first ?? "?") in the background: \(result.stderr)")
        }
        return DetachedProcess(pid: pid)
    }

    /// True until the process has exited (a zombie counts as exited).
    var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8) else { return false }
        // The state follows the parenthesised command name: "PID (comm) S ...".
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Sends `signal`, then waits up to `timeout` seconds for the process to exit; returns whether it did.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 20) -> Bool {
        if self.exited || !self.isRunning {
            self.exited = true
            return true
        }
        kill(self.pid, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !self.isRunning {
                self.exited = true
                return true
            }
            usleep(20_000)
        }
        kill(self.pid, SIGKILL)
        return false
    }
}
