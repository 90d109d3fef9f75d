public import Foundation
import Yams

/// Reads `triggerd.yaml` with the same diagnostics as workflow files.
public enum ConfigurationLoader {
    static let fields = [
        "workflows", "state_dir", "socket", "socket_group", "listen", "secrets", "timezone", "log", "env_allow", "smtp",
        "llm", "databases", "retention", "ingest", "shutdown_grace", "dedupe_window",
        "console",
    ]

    /// Loads and validates a configuration file.
    public static func load(path: String) throws(DefinitionErrors) -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionErrors([Diagnostic(SourceLocation(file: path, line: 1, column: 1), "cannot read the configuration file")])
        }
        return try self.load(source: String(decoding: data, as: UTF8.self), file: path)
    }

    public static func load(source: String, file: String) throws(DefinitionErrors) -> DaemonConfiguration {
        var config = DaemonConfiguration()
        if let alias = YAMLAliases.first(in: source) {
            throw DefinitionErrors([YAMLAliases.diagnostic(file: file, at: alias)])
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: source) else { return config }
            root = node
        } catch {
            throw DefinitionErrors([WorkflowLoader.syntaxDiagnostic(error, file: file)])
        }
        let reader = NodeReader(file: file)
        guard let entries = reader.mapping(root, what: "the configuration") else { throw DefinitionErrors(reader.diagnostics) }
        let f = reader.known(entries, allowed: self.fields, what: "the configuration")
        func string(_ key: String) -> String? { f[key].flatMap { reader.string($0.value, what: "'\(key)'") } }
        config.workflows = string("workflows") ?? config.workflows
        config.stateDir = string("state_dir") ?? config.stateDir
        config.socket = string("socket") ?? config.socket
        config.socketGroup = string("socket_group")
        if let listen = f["listen"], let text = reader.string(listen.value, what: "'listen'") {
            if ListenAddress.parse(text) == nil {
                reader.error(listen.value, "'listen' must be HOST:PORT such as 127.0.0.1:8780, not '\(text)'")
            } else {
                config.listen = text
            }
        }
        config.secrets = string("secrets")
        if let tz = f["timezone"], let text = reader.string(tz.value, what: "'timezone'") {
            if TimeZone(identifier: text) == nil {
                reader.error(tz.value, "unknown time zone '\(text)'")
            } else {
                config.timezone = text
            }
        }
        if let log = f["log"], let logEntries = reader.mapping(log.value, what: "'log'") {
            let l = reader.known(logEntries, allowed: ["format", "level"], what: "'log'")
            if let fmt = l["format"], let text = reader.string(fmt.value, what: "'log.format'") {
                if ["text", "json"].contains(text) { config.logFormat = text } else {
                    reader.error(fmt.value, "'log.format' must be text or json, not '\(text)'")
                }
            }
            if let lvl = l["level"], let text = reader.string(lvl.value, what: "'log.level'") {
                if LogLevels.names.contains(text) { config.logLevel = text } else {
                    reader.error(lvl.value, "'log.level' must be one of \(LogLevels.names.joined(separator: ", ")), not '\(text)'")
                }
            }
        }
        if let env = f["env_allow"], let list = reader.stringList(env.value, what: "'env_allow'") { config.envAllow = list.map(\.0) }
        if let smtp = f["smtp"], let s = reader.mapping(smtp.value, what: "'smtp'") {
            let m = reader.known(s, allowed: ["url", "username", "password", "from", "starttls"], what: "'smtp'")
            if let url = m["url"].flatMap({ reader.string($0.value, what: "'smtp.url'") }) {
                var smtpConfig = SMTPConfiguration(url: url)
                smtpConfig.username = m["username"].flatMap { reader.string($0.value, what: "'smtp.username'") }
                smtpConfig.password = m["password"].flatMap { reader.string($0.value, what: "'smtp.password'") }
                smtpConfig.from = m["from"].flatMap { reader.string($0.value, what: "'smtp.from'") }
                if let st = m["starttls"], let text = reader.string(st.value, what: "'smtp.starttls'") {
                    if ["auto", "always", "never"].contains(text) { smtpConfig.starttls = text } else {
                        reader.error(st.value, "'smtp.starttls' must be auto, always or never")
                    }
                }
                config.smtp = smtpConfig
            } else if m["url"] == nil {
                reader.error(smtp.value, "'smtp' needs 'url' (e.g. smtp://127.0.0.1:25)")
            }
        }
        if let llm = f["llm"], let providers = reader.mapping(llm.value, what: "'llm'") {
            for p in providers {
                guard let pe = reader.mapping(p.value, what: "'llm.\(p.key)'") else { continue }
                let m = reader.known(pe, allowed: ["base_url", "api_key", "model"], what: "'llm.\(p.key)'")
                config.llm[p.key] = LLMProviderConfiguration(
                    baseURL: m["base_url"].flatMap { reader.string($0.value, what: "'base_url'") },
                    apiKey: m["api_key"].flatMap { reader.string($0.value, what: "'api_key'") },
                    model: m["model"].flatMap { reader.string($0.value, what: "'model'") })
            }
        }
        if let dbs = f["databases"], let list = reader.mapping(dbs.value, what: "'databases'") {
            for d in list {
                guard let de = reader.mapping(d.value, what: "'databases.\(d.key)'") else { continue }
                let m = reader.known(de, allowed: ["path", "read_only"], what: "'databases.\(d.key)'")
                guard let path = m["path"].flatMap({ reader.string($0.value, what: "'path'") }) else {
                    if m["path"] == nil { reader.error(d.value, "database '\(d.key)' needs 'path'") }
                    continue
                }
                config.databases[d.key] = DatabaseConfiguration(
                    path: path, readOnly: m["read_only"].flatMap { reader.bool($0.value, what: "'read_only'") } ?? false)
            }
        }
        if let r = f["retention"], let list = reader.mapping(r.value, what: "'retention'") {
            let m = reader.known(list, allowed: ["runs", "deliveries", "events"], what: "'retention'")
            if let v = m["runs"].flatMap({ reader.duration($0.value, what: "'retention.runs'") }) { config.retention.runs = v }
            if let v = m["deliveries"].flatMap({ reader.duration($0.value, what: "'retention.deliveries'") }) { config.retention.deliveries = v }
            if let v = m["events"].flatMap({ reader.duration($0.value, what: "'retention.events'") }) { config.retention.events = v }
        }
        if let i = f["ingest"], let list = reader.mapping(i.value, what: "'ingest'") {
            let m = reader.known(list, allowed: ["queue", "idle_timeout", "max_connections"], what: "'ingest'")
            if let q = m["queue"].flatMap({ reader.int($0.value, what: "'ingest.queue'", range: 1...10_000_000) }) { config.ingestQueue = q }
            if let t = m["idle_timeout"], let v = reader.duration(t.value, what: "'ingest.idle_timeout'") {
                // Zero would close every connection before its first request could arrive.
                if v > 0 {
                    config.listenerIdleTimeout = v
                } else {
                    reader.error(t.value, "'ingest.idle_timeout' must be more than 0s")
                }
            }
            let maxConnections = m["max_connections"].flatMap {
                reader.int($0.value, what: "'ingest.max_connections'", range: 1...1_000_000)
            }
            if let c = maxConnections {
                config.listenerMaxConnections = c
            }
        }
        if let g = f["shutdown_grace"].flatMap({ reader.duration($0.value, what: "'shutdown_grace'") }) { config.shutdownGrace = g }
        if let d = f["dedupe_window"].flatMap({ reader.duration($0.value, what: "'dedupe_window'") }) { config.dedupeWindow = d }
        if let c = f["console"] { config.console = self.console(c.value, reader: reader) }
        guard reader.diagnostics.isEmpty else { throw DefinitionErrors(reader.diagnostics) }
        return config
    }

    /// `console: {listen, auth, proxy: {header, from, role}}`; nil (with diagnostics) when it is not usable.
    static func console(_ node: Node, reader: NodeReader) -> ConsoleListenerConfiguration? {
        guard let entries = reader.mapping(node, what: "'console'") else { return nil }
        let m = reader.known(entries, allowed: ["listen", "auth", "proxy"], what: "'console'")
        // Every field is checked even when `listen` is bad, so one --check-config shows every mistake.
        var usable = true
        var console = ConsoleListenerConfiguration(listen: "")
        if let listen = m["listen"], let text = reader.string(listen.value, what: "'console.listen'") {
            if ListenAddress.parse(text) == nil {
                reader.error(listen.value, "'console.listen' must be HOST:PORT such as 127.0.0.1:8781, not '\(text)'")
                usable = false
            }
            console.listen = text
        } else {
            if m["listen"] == nil { reader.error(node, "'console' needs 'listen' (HOST:PORT such as 127.0.0.1:8781)") }
            usable = false
        }
        if let auth = m["auth"], let word = reader.string(auth.value, what: "'console.auth'") {
            if let value = ConsoleListenerConfiguration.Auth(rawValue: word) {
                console.auth = value
            } else {
                reader.error(auth.value, "'console.auth' must be tokens or proxy, not '\(word)'")
            }
        }
        if let proxy = m["proxy"], let p = reader.mapping(proxy.value, what: "'console.proxy'") {
            let pm = reader.known(p, allowed: ["header", "from", "role"], what: "'console.proxy'")
            if let header = pm["header"], let name = reader.string(header.value, what: "'console.proxy.header'") {
                if name.range(of: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", options: .regularExpression) == nil {
                    reader.error(header.value, "'console.proxy.header' must be an HTTP header name, not '\(name)'")
                } else {
                    console.proxyHeader = name
                }
            }
            if let from = pm["from"], let list = reader.stringList(from.value, what: "'console.proxy.from'") {
                for (address, node) in list where !IPAddressText.isValid(address) {
                    reader.error(node, "'console.proxy.from' lists IP addresses, and '\(address)' is not one")
                }
                console.proxyFrom = list.map(\.0)
            }
            if let role = pm["role"], let word = reader.string(role.value, what: "'console.proxy.role'") {
                if let value = ConsoleToken.Role(rawValue: word) {
                    console.proxyRole = value
                } else {
                    reader.error(role.value, "'console.proxy.role' must be viewer, operator or admin, not '\(word)'")
                }
            }
            if console.auth != .proxy {
                reader.error(proxy.value, "'console.proxy' is only used with 'auth: proxy'")
            }
        }
        return usable ? console : nil
    }
}

/// Checks the text of an IPv4 or IPv6 address (`console.proxy.from`).
public enum IPAddressText {
    public static func isValid(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

/// Log level names accepted in the configuration and `--log-level`.
public enum LogLevels {
    public static let names = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}

/// `HOST:PORT` of the webhook listener.
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    public static func parse(_ text: String) -> ListenAddress? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port), !host.isEmpty else { return nil }
        return ListenAddress(host: host, port: port)
    }
}
