import ArgumentParser
import Engine

/// `--socket` and `--json`, accepted by every command after its name (SPEC §9).
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's control socket (default: $TRIGGERD_SOCKET, else /run/triggerd/control.sock).",
            valueName: "path"
        )
    )
    var socket: String?

    @Flag(name: .long, help: "Print the API's JSON on stdout instead of tables.")
    var json = false

    /// The socket to use: `--socket`, else the context's default.
    var socketPath: String { self.socket ?? CtlContext.current.defaultSocket }

    /// A connection to the daemon at `socketPath`.
    func connection() -> any DaemonConnection { CtlContext.current.connect(self.socketPath) }

    /// Prints `value` as pretty JSON with sorted keys (stable across runs).
    func printJSON(_ value: JSONValue) {
        CtlContext.current.say(value.jsonString(pretty: true))
    }
}
