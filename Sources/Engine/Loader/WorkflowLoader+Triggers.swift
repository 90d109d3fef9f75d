public import Foundation
import Yams

extension WorkflowLoader {
    static let triggerKinds = ["cron", "webhook", "event", "manual"]
    static let cronFields = ["schedule", "timezone", "catch_up", "catch_up_limit", "overlap", "jitter"]
    static let webhookFields = [
        "path", "method", "verify", "filter", "dedupe", "response", "response_timeout", "max_body", "emit",
    ]
    static let verifyFields = ["scheme", "secret", "secrets", "header", "algorithm", "encoding", "prefix", "tolerance"]

    func readTriggers(_ node: Node, reader: NodeReader) -> [TriggerDefinition] {
        guard case .sequence(let items) = node else {
            reader.error(node, "'triggers' must be a list, e.g. '- cron: { schedule: \"0 9 * * *\" }'")
            return []
        }
        var out: [TriggerDefinition] = []
        for item in items {
            guard let entries = reader.mapping(item, what: "a trigger") else { continue }
            guard entries.count == 1, let entry = entries.first else {
                reader.error(item, "a trigger must have exactly one of: \(Self.triggerKinds.joined(separator: ", "))")
                continue
            }
            switch entry.key {
            case "cron": if let t = self.readCron(entry.value, reader: reader) { out.append(.cron(t)) }
            case "webhook": if let t = self.readWebhook(entry.value, reader: reader) { out.append(.webhook(t)) }
            case "event": if let t = self.readEvent(entry.value, reader: reader) { out.append(.event(t)) }
            case "manual":
                if case .mapping = entry.value, let fields = reader.mapping(entry.value, what: "'manual'") {
                    reader.known(fields, allowed: [], what: "'manual'")
                }
                out.append(.manual)
            default:
                let hint = DidYouMean.suggest(entry.key, from: Self.triggerKinds).map { " (did you mean '\($0)'?)" }
                    ?? " (expected one of: \(Self.triggerKinds.joined(separator: ", ")))"
                reader.error(entry.keyNode, "unknown trigger type '\(entry.key)'\(hint)")
            }
        }
        return out
    }

    private func readCron(_ node: Node, reader: NodeReader) -> CronTrigger? {
        var fields: [String: NodeReader.Entry] = [:]
        var scheduleNode = node
        if case .scalar = node {
            scheduleNode = node
        } else {
            guard let entries = reader.mapping(node, what: "'cron'") else { return nil }
            fields = reader.known(entries, allowed: Self.cronFields, what: "a cron trigger")
            guard let s = fields["schedule"] else {
                reader.error(node, "cron trigger needs 'schedule' (e.g. schedule: \"0 9 * * MON-FRI\")")
                return nil
            }
            scheduleNode = s.value
        }
        guard let text = reader.string(scheduleNode, what: "'schedule'") else { return nil }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule.parse(text)
        } catch {
            reader.error(
                at: reader.location(scheduleNode, offset: max(0, error.column - 1)),
                "bad cron schedule '\(text)': \(error.message)")
            return nil
        }
        for warning in schedule.warnings {
            reader.warning(
                at: reader.location(scheduleNode, offset: max(0, warning.column - 1)),
                "cron schedule '\(text)': \(warning.message)")
        }
        var zone = self.defaultTimeZone
        if let z = fields["timezone"], let text = reader.string(z.value, what: "'timezone'") {
            if TimeZone(identifier: text) != nil, text.contains("/") || text == "UTC" || text == "GMT" || TimeZone.knownTimeZoneIdentifiers.contains(text) {
                zone = text
            } else {
                let hint = DidYouMean.suggest(text, from: TimeZone.knownTimeZoneIdentifiers).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(z.value, "unknown time zone '\(text)'\(hint)")
            }
        }
        let catchUp = fields["catch_up"].flatMap { self.enumValue($0.value, CatchUpPolicy.self, what: "'catch_up'", reader: reader) } ?? .none
        let limit = fields["catch_up_limit"].flatMap { reader.int($0.value, what: "'catch_up_limit'", range: 1...10_000) } ?? 10
        let overlap = fields["overlap"].flatMap { self.enumValue($0.value, OverlapPolicy.self, what: "'overlap'", reader: reader) } ?? .allow
        let jitter = fields["jitter"].flatMap { reader.duration($0.value, what: "'jitter'") } ?? 0
        return CronTrigger(schedule: schedule, timezone: zone, catchUp: catchUp, catchUpLimit: limit, overlap: overlap, jitter: jitter)
    }

    /// Reads one of an enum's raw values, suggesting the closest on a typo.
    func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, _ type: E.Type, what: String, reader: NodeReader) -> E?
    where E.RawValue == String {
        guard let text = reader.string(node, what: what) else { return nil }
        if let value = E(rawValue: text) { return value }
        let names = E.allCases.map(\.rawValue)
        let hint = DidYouMean.suggest(text, from: names).map { "did you mean '\($0)'?" } ?? "expected one of: \(names.joined(separator: ", "))"
        reader.error(node, "\(what) has unknown value '\(text)' (\(hint))")
        return nil
    }

    private func readWebhook(_ node: Node, reader: NodeReader) -> WebhookTrigger? {
        guard let entries = reader.mapping(node, what: "'webhook'") else { return nil }
        let f = reader.known(entries, allowed: Self.webhookFields, what: "a webhook trigger")
        guard let p = f["path"], let path = reader.string(p.value, what: "'path'") else {
            if f["path"] == nil { reader.error(node, "webhook trigger needs 'path' (e.g. path: /hooks/github)") }
            return nil
        }
        if !path.hasPrefix("/") || path.contains("?") || path.contains(" ") || path == "/healthz" || path == "/metrics" {
            reader.error(p.value, "webhook path '\(path)' must start with '/', have no query or spaces, and not be /healthz or /metrics")
        }
        var method = "POST"
        if let m = f["method"], let text = reader.string(m.value, what: "'method'") {
            let upper = text.uppercased()
            if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(upper) {
                method = upper
            } else {
                reader.error(m.value, "webhook method '\(text)' is not one of GET, POST, PUT, PATCH, DELETE")
            }
        }
        let verify = f["verify"].flatMap { self.readVerify($0.value, reader: reader) }
        let filter = f["filter"].flatMap { e in reader.string(e.value, what: "'filter'").flatMap { text in reader.reading(in: .webhook) { reader.template(text, node: e.value, what: "'filter'") } } }
        let dedupe = f["dedupe"].flatMap { e in reader.string(e.value, what: "'dedupe'").flatMap { text in reader.reading(in: .webhook) { reader.template(text, node: e.value, what: "'dedupe'") } } }
        let response = f["response"].flatMap { self.enumValue($0.value, WebhookResponseMode.self, what: "'response'", reader: reader) } ?? .accepted
        let responseTimeout = f["response_timeout"].flatMap { reader.duration($0.value, what: "'response_timeout'") } ?? 30
        var maxBody = 1 << 20
        if let m = f["max_body"] {
            if let size = Self.byteSize(reader.json(m.value)) { maxBody = size } else {
                reader.error(m.value, "'max_body' must be a size such as 1048576, '512KiB' or '4MiB'")
            }
        }
        let emit = f["emit"].flatMap { reader.string($0.value, what: "'emit'") }
        return WebhookTrigger(
            path: path, method: method, verify: verify, filter: filter, dedupe: dedupe, response: response,
            responseTimeout: responseTimeout, maxBody: maxBody, emit: emit, readsBody: false, location: reader.location(p.value))
    }

    /// Parses `1048576`, `512KiB`, `4MiB`, `1MB`, `64KB`.
    static func byteSize(_ value: JSONValue) -> Int? {
        if let n = value.intValue, n > 0 { return n }
        guard let text = value.stringValue else { return nil }
        let units: [(String, Int)] = [("KiB", 1024), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let n = Int(String(text.dropLast(suffix.count)).trimmingSpaces), n > 0 else { return nil }
            return n * factor
        }
        return nil
    }

    private func readVerify(_ node: Node, reader: NodeReader) -> WebhookVerifySpec? {
        guard let entries = reader.mapping(node, what: "'verify'") else { return nil }
        let f = reader.known(entries, allowed: Self.verifyFields, what: "'verify'")
        guard let s = f["scheme"] else {
            reader.error(node, "'verify' needs 'scheme' (one of: \(WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        guard let scheme = self.enumValue(s.value, WebhookScheme.self, what: "'scheme'", reader: reader) else { return nil }
        var secrets: [Template] = []
        if let one = f["secret"], let text = reader.string(one.value, what: "'secret'"),
            let t = reader.reading(in: .webhookSecret, { reader.template(text, node: one.value, what: "'secret'") })
        {
            secrets.append(t)
        }
        if let many = f["secrets"], let list = reader.stringList(many.value, what: "'secrets'") {
            for (text, n) in list {
                if let t = reader.reading(in: .webhookSecret, { reader.template(text, node: n, what: "'secrets'") }) { secrets.append(t) }
            }
        }
        if secrets.isEmpty {
            reader.error(node, "'verify' needs 'secret' (e.g. secret: \"{{ secrets.WEBHOOK_SECRET }}\")")
        } else if secrets.count > 2 {
            reader.error(node, "'verify' takes at most two secrets (the current one and the one being rotated out)")
        }
        let header = f["header"].flatMap { reader.string($0.value, what: "'header'") }?.lowercased()
        let algorithm = f["algorithm"].flatMap { self.enumValue($0.value, WebhookHMACAlgorithm.self, what: "'algorithm'", reader: reader) } ?? .sha256
        let encoding = f["encoding"].flatMap { self.enumValue($0.value, WebhookSignatureEncoding.self, what: "'encoding'", reader: reader) } ?? .hex
        let prefix = f["prefix"].flatMap { reader.string($0.value, what: "'prefix'") } ?? ""
        let tolerance = f["tolerance"].flatMap { reader.duration($0.value, what: "'tolerance'") } ?? 300
        if scheme == .hmac && header == nil {
            reader.error(node, "'verify' with scheme hmac needs 'header' (the request header that carries the signature)")
        }
        return WebhookVerifySpec(
            scheme: scheme, secrets: secrets, header: header, algorithm: algorithm, encoding: encoding, prefix: prefix,
            tolerance: tolerance)
    }

    private func readEvent(_ node: Node, reader: NodeReader) -> EventTrigger? {
        if case .scalar = node, let name = reader.string(node, what: "'event'") { return EventTrigger(name: name, filter: nil) }
        guard let entries = reader.mapping(node, what: "'event'") else { return nil }
        let f = reader.known(entries, allowed: ["name", "filter"], what: "an event trigger")
        guard let n = f["name"], let name = reader.string(n.value, what: "'name'") else {
            if f["name"] == nil { reader.error(node, "event trigger needs 'name' (e.g. name: order.*)") }
            return nil
        }
        let filter = f["filter"].flatMap { e in reader.string(e.value, what: "'filter'").flatMap { text in reader.reading(in: .eventTrigger) { reader.template(text, node: e.value, what: "'filter'") } } }
        return EventTrigger(name: name, filter: filter)
    }
}
