import Engine
import Foundation
import Hummingbird
import Logging
import Steps

@testable import Triggerd

/// A real `DaemonCore` over a temporary workflows directory, an in-memory store and the real step registry, with
/// the control server's routes in front (router tests, no socket). Files are written, then `reload()` loads them.
struct WorkflowTestDaemon {
    let directory: String
    let core: DaemonCore
    let store: Store

    init() async throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("triggerd-workflows-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        var configuration = DaemonConfiguration()
        configuration.workflows = self.directory
        self.store = try Store.inMemory()
        let registry = StepLibrary.registry(configuration: configuration, secrets: [:], environment: ["PATH": "/usr/bin:/bin"])
        let engine = RunEngine(store: self.store, registry: registry, logger: ControlTest.logger)
        self.core = DaemonCore(
            configuration: configuration, engine: engine, secrets: [:], clock: SystemClock(), logger: ControlTest.logger)
    }

    /// Writes `text` to `name` in the workflows directory and reloads, as the watcher would.
    @discardableResult
    func write(_ name: String, _ text: String) async throws -> ReloadReport {
        try text.write(toFile: self.directory + "/" + name, atomically: true, encoding: .utf8)
        return await self.core.reload()
    }

    func application() throws -> some ApplicationProtocol {
        try ControlServer(
            plane: self.core, socketPath: "/nonexistent/control.sock", socketGroup: nil, logger: ControlTest.logger,
            daemonUID: ControlTest.daemonUID, identifyPeer: { _ in ControlTest.daemonPeer }
        ).makeApplication()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.directory)
    }
}
