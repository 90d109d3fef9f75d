import ArgumentParser
import Engine
import Foundation
import Logging
import ServiceLifecycle
import Steps
import UnixSignals

/// The daemon's entry point. Usage errors exit 2, start-up failures print one line and exit 1.
@main
struct TriggerdCommand {
    static func main() async {
        let options: DaemonOptions
        switch DaemonOptions.invocation() {
        case .run(let parsed):
            options = parsed
        case .exit(code: 0, let message):
            print(message)
            exit(0)
        case .exit(let code, let message):
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(code)
        }
        do {
            try await Daemon(options: options, environment: ProcessInfo.processInfo.environment).run()
            exit(0)
        } catch let failure as StartupFailure {
            FileHandle.standardError.write(Data("triggerd: \(failure.message)\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("triggerd: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// A reason the daemon cannot start, printed as one line.
struct StartupFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
