import ArgumentParser
import Engine

/// `triggerd` flags (SPEC §2), grouped as the help shows them. Flags override the config file; the config file
/// overrides defaults.
struct DaemonOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggerd",
        abstract: "The workflow trigger daemon: cron, webhooks, events and manual runs.",
        discussion: """
            Flags override the configuration file, which overrides the defaults. Operate it with triggerctl over \
            the control socket; SIGHUP (or triggerctl reload) re-reads the workflows and the secrets.
            """
    )

    /// Where configuration, workflows, state and secrets live.
    struct Files: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "Configuration file (default /etc/triggerd/triggerd.yaml if present).",
                valueName: "file"
            )
        )
        var config: String?
        @Option(
            help: ArgumentHelp("Directory of workflow files (default /etc/triggerd/workflows.d).", valueName: "dir")
        )
        var workflows: String?
        @Option(
            name: .customLong("state-dir"),
            help: ArgumentHelp(
                "State directory, database triggerd.db inside (default /var/lib/triggerd).",
                valueName: "dir"
            )
        )
        var stateDir: String?
        @Option(
            help: ArgumentHelp(
                "Secrets file of NAME=value lines, mode 0600 (default /etc/triggerd/secrets.env or $CREDENTIALS_DIRECTORY).",
                valueName: "file"
            )
        )
        var secrets: String?
    }

    /// Where the daemon answers.
    struct Network: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "Control socket (default $TRIGGERD_SOCKET or /run/triggerd/control.sock).",
                valueName: "path"
            )
        )
        var socket: String?
        @Option(help: ArgumentHelp("Webhook listener address (default 127.0.0.1:8780).", valueName: "host:port"))
        var listen: String?
    }

    /// How it logs.
    struct Logging: ParsableArguments {
        @Option(
            name: .customLong("log-format"),
            help: ArgumentHelp("text or json (default text).", valueName: "format")
        )
        var logFormat: String?
        @Option(
            name: .customLong("log-level"),
            help: ArgumentHelp(
                "trace, debug, info, notice, warning, error or critical (default info).",
                valueName: "level"
            )
        )
        var logLevel: String?
    }

    @OptionGroup(title: "Files") var files: Files
    @OptionGroup(title: "Network") var network: Network
    @OptionGroup(title: "Logging") var logging: Logging
    @Flag(name: .customLong("check-config"), help: "Validate the configuration and every workflow, then exit.")
    var checkConfig = false

    /// What a command line asks for: a daemon with these options, or a message to print and an exit code.
    enum Invocation {
        case run(DaemonOptions)
        /// Help (exit 0, on stdout) or a usage error (exit 2, the contract's code for bad usage, on stderr).
        case exit(code: Int32, message: String)
    }

    /// Parses `arguments` (nil: the process's own). A usage error names `triggerd` and exits 2.
    static func invocation(_ arguments: [String]? = nil) -> Invocation {
        do {
            return .run(try self.parse(arguments))
        } catch {
            if self.exitCode(for: error) == .success { return .exit(code: 0, message: self.fullMessage(for: error)) }
            return .exit(code: 2, message: self.fullMessage(for: error))
        }
    }

    func validate() throws {
        if let f = self.logging.logFormat, !["text", "json"].contains(f) {
            throw ValidationError("--log-format must be text or json, not '\(f)'")
        }
        if let l = self.logging.logLevel, !LogLevels.names.contains(l) {
            throw ValidationError("--log-level must be one of \(LogLevels.names.joined(separator: ", ")), not '\(l)'")
        }
        if let listen = self.network.listen, ListenAddress.parse(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT such as 127.0.0.1:8780, not '\(listen)'")
        }
    }

    /// The effective configuration: defaults, then the file, then flags and `TRIGGERD_SOCKET`.
    func resolve(environment: [String: String], fileExists: (String) -> Bool) throws(DefinitionErrors)
        -> DaemonConfiguration
    {
        var config = DaemonConfiguration()
        if let path = self.files.config {
            config = try ConfigurationLoader.load(path: path)
        } else if fileExists("/etc/triggerd/triggerd.yaml") {
            config = try ConfigurationLoader.load(path: "/etc/triggerd/triggerd.yaml")
        }
        if config.secrets == nil, fileExists("/etc/triggerd/secrets.env") {
            config.secrets = "/etc/triggerd/secrets.env"
        }
        if let socket = environment["TRIGGERD_SOCKET"], !socket.isEmpty { config.socket = socket }
        if let v = self.files.workflows { config.workflows = v }
        if let v = self.files.stateDir { config.stateDir = v }
        if let v = self.network.socket { config.socket = v }
        if let v = self.network.listen { config.listen = v }
        if let v = self.files.secrets { config.secrets = v }
        if let v = self.logging.logFormat { config.logFormat = v }
        if let v = self.logging.logLevel { config.logLevel = v }
        return config
    }
}
