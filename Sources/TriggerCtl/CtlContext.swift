import Foundation

/// What a `triggerctl` command needs from the outside world, in one value.
///
/// The real process uses `CtlContext.live`; tests bind their own with `CtlContext.$current.withValue`
/// (a task-local), so commands parsed by ArgumentParser can still be given a fake daemon, a fixed clock
/// and captured output. Nothing below `main` reads the environment directly.
struct CtlContext: Sendable {
    /// Environment variables (`TRIGGERD_SOCKET`, `NO_COLOR`).
    var environment: [String: String]
    /// Whether stdout is a terminal; colour is used only then.
    var stdoutIsTerminal: Bool
    /// Where output goes.
    var console: any Console
    /// Opens a connection to the daemon at a socket path.
    var connect: @Sendable (String) -> any DaemonConnection
    /// The current time (durations of running steps, `next` without `--after`, `webhook sign`).
    var now: @Sendable () -> Date
    /// Directory that relative paths are resolved against (`backup FILE`).
    var workingDirectory: String
    /// Reads all of stdin, for `@-` arguments.
    var readStandardInput: @Sendable () -> [UInt8]
    /// POSTs one webhook delivery over TCP (`webhook send`); tests answer from a fake.
    var postWebhook: @Sendable (WebhookPost) async throws -> ControlReply = { post in try await post.send() }

    /// The context of the running process.
    static var live: CtlContext {
        CtlContext(
            environment: ProcessInfo.processInfo.environment,
            stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
            console: StandardConsole(),
            connect: { SocketConnection(socketPath: $0) },
            now: { Date() },
            workingDirectory: FileManager.default.currentDirectoryPath,
            readStandardInput: { Array(FileHandle.standardInput.readDataToEndOfFile()) }
        )
    }

    /// The context commands run in.
    @TaskLocal static var current: CtlContext = .live

    /// The socket used when `--socket` is not given: `$TRIGGERD_SOCKET`, else the system default.
    var defaultSocket: String {
        if let socket = self.environment["TRIGGERD_SOCKET"], !socket.isEmpty { return socket }
        return "/run/triggerd/control.sock"
    }

    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything (no-color.org).
    var palette: Palette {
        Palette(enabled: self.stdoutIsTerminal && (self.environment["NO_COLOR"] ?? "").isEmpty)
    }

    /// Writes one line to stdout.
    func say(_ line: String) { self.console.out(line + "\n") }

    /// Writes one line to stderr.
    func warn(_ line: String) { self.console.err(line + "\n") }
}
