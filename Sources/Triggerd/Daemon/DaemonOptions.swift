import ArgumentParser
import Engine

/// `triggerd` flags (SPEC §2). Flags override the config file; the config file overrides defaults.
struct DaemonOptions: ParsableArguments {
    @Option(help: "Configuration file (default /etc/triggerd/triggerd.yaml if present).")
    var config: String?
    @Option(help: "Directory of workflow files.")
    var workflows: String?
    @Option(name: .customLong("state-dir"), help: "State directory (database triggerd.db inside).")
    var stateDir: String?
    @Option(help: "Control socket path (default $TRIGGERD_SOCKET or /run/triggerd/control.sock).")
    var socket: String?
    @Option(help: "Webhook listener address HOST:PORT.")
    var listen: String?
    @Option(help: "Secrets file (NAME=value lines, mode 0600).")
    var secrets: String?
    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?
    @Flag(name: .customLong("check-config"), help: "Validate the configuration and every workflow, then exit.")
    var checkConfig = false

    func validate() throws {
        if let f = self.logFormat, !["text", "json"].contains(f) { throw ValidationError("--log-format must be text or json, not '\(f)'") }
        if let l = self.logLevel, !LogLevels.names.contains(l) {
            throw ValidationError("--log-level must be one of \(LogLevels.names.joined(separator: ", ")), not '\(l)'")
        }
        if let listen = self.listen, ListenAddress.parse(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT such as 127.0.0.1:8780, not '\(listen)'")
        }
    }

    /// The effective configuration: defaults, then the file, then flags and `TRIGGERD_SOCKET`.
    func resolve(environment: [String: String], fileExists: (String) -> Bool) throws(DefinitionErrors) -> DaemonConfiguration {
        var config = DaemonConfiguration()
        if let path = self.config {
            config = try ConfigurationLoader.load(path: path)
        } else if fileExists("/etc/triggerd/triggerd.yaml") {
            config = try ConfigurationLoader.load(path: "/etc/triggerd/triggerd.yaml")
        }
        if config.secrets == nil, fileExists("/etc/triggerd/secrets.env") { config.secrets = "/etc/triggerd/secrets.env" }
        if let socket = environment["TRIGGERD_SOCKET"], !socket.isEmpty { config.socket = socket }
        if let v = self.workflows { config.workflows = v }
        if let v = self.stateDir { config.stateDir = v }
        if let v = self.socket { config.socket = v }
        if let v = self.listen { config.listen = v }
        if let v = self.secrets { config.secrets = v }
        if let v = self.logFormat { config.logFormat = v }
        if let v = self.logLevel { config.logLevel = v }
        return config
    }
}
