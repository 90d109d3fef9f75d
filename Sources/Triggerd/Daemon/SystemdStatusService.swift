import Engine
import ServiceLifecycle

/// Keeps the `STATUS=` line `systemctl status` shows current: workflows loaded and runs by state, sent every
/// `interval` (READY=1 and reloads send their own). Add it only when `$NOTIFY_SOCKET` is set.
struct SystemdStatusService: Service {
    let notifier: SystemdNotifier
    let core: DaemonCore
    var interval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            } catch {
                return  // shutdown
            }
            let workflows = await self.core.definitions.count
            let refused = await self.core.loadErrors.count
            // A store that cannot answer leaves the previous line in place; the next tick tries again.
            guard let counts = try? await self.core.engine.runCounts() else { continue }
            self.notifier.status(Self.line(workflows: workflows, refused: refused, counts: counts))
        }
    }

    /// `12 workflows (1 refused); runs: 3 running, 1 waiting, 0 pending`.
    static func line(workflows: Int, refused: Int, counts: [RunStatus: Int]) -> String {
        var text = "\(workflows) workflows"
        if refused > 0 { text += " (\(refused) refused)" }
        let active: [RunStatus] = [.running, .waiting, .pending]
        text += "; runs: " + active.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return text
    }
}
