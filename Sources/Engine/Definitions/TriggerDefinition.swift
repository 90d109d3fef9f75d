/// How a run of a workflow can start.
public enum TriggerDefinition: Sendable {
    case cron(CronTrigger)
    case webhook(WebhookTrigger)
    case event(EventTrigger)
    case manual
}

/// What to do with fire times missed while the daemon was down.
public enum CatchUpPolicy: String, Sendable, CaseIterable {
    case none, latest, all
}

/// What to do when a fire comes while a run from the same trigger is still active.
public enum OverlapPolicy: String, Sendable, CaseIterable {
    case allow, skip, queue
    case cancelPrevious = "cancel_previous"
}

/// `cron:` trigger.
public struct CronTrigger: Sendable {
    public var schedule: CronSchedule
    /// IANA zone identifier.
    public var timezone: String
    public var catchUp: CatchUpPolicy
    public var catchUpLimit: Int
    public var overlap: OverlapPolicy
    /// Upper bound of a random delay added to each fire, seconds.
    public var jitter: Double
    /// Stable identity in the schedule ledger: survives edits that keep the same schedule and zone.
    public var key: String { "cron:\(self.schedule.text)@\(self.timezone)" }

    public init(
        schedule: CronSchedule, timezone: String, catchUp: CatchUpPolicy, catchUpLimit: Int, overlap: OverlapPolicy,
        jitter: Double
    ) {
        self.schedule = schedule
        self.timezone = timezone
        self.catchUp = catchUp
        self.catchUpLimit = catchUpLimit
        self.overlap = overlap
        self.jitter = jitter
    }
}

/// How a webhook trigger answers once a delivery is accepted.
public enum WebhookResponseMode: String, Sendable, CaseIterable {
    /// 202 as soon as the delivery is durably stored.
    case accepted
    /// Waits for the run and answers with its output, or 504 after `response_timeout`.
    case sync
}

/// `verify:` of a webhook trigger, with secrets still as templates (resolved against the secrets at ingress).
public struct WebhookVerifySpec: Sendable {
    public var scheme: WebhookScheme
    public var secrets: [Template]
    public var header: String?
    public var algorithm: WebhookHMACAlgorithm
    public var encoding: WebhookSignatureEncoding
    public var prefix: String
    public var tolerance: Double

    public init(
        scheme: WebhookScheme, secrets: [Template], header: String?, algorithm: WebhookHMACAlgorithm,
        encoding: WebhookSignatureEncoding, prefix: String, tolerance: Double
    ) {
        self.scheme = scheme
        self.secrets = secrets
        self.header = header
        self.algorithm = algorithm
        self.encoding = encoding
        self.prefix = prefix
        self.tolerance = tolerance
    }
}

/// `webhook:` trigger.
public struct WebhookTrigger: Sendable {
    public var path: String
    public var method: String
    public var verify: WebhookVerifySpec?
    public var filter: Template?
    public var dedupe: Template?
    public var response: WebhookResponseMode
    public var responseTimeout: Double
    public var maxBody: Int
    /// When set, a delivery becomes an event of this name instead of a run.
    public var emit: String?
    /// True when some expression of the workflow reads `trigger.body`, so a non-JSON JSON body is a 400.
    public var readsBody: Bool
    public var location: SourceLocation

    public init(
        path: String, method: String, verify: WebhookVerifySpec?, filter: Template?, dedupe: Template?,
        response: WebhookResponseMode, responseTimeout: Double, maxBody: Int, emit: String?, readsBody: Bool,
        location: SourceLocation
    ) {
        self.path = path
        self.method = method
        self.verify = verify
        self.filter = filter
        self.dedupe = dedupe
        self.response = response
        self.responseTimeout = responseTimeout
        self.maxBody = maxBody
        self.emit = emit
        self.readsBody = readsBody
        self.location = location
    }
}

/// `event:` trigger: `name` is exact or a glob (`order.*`).
public struct EventTrigger: Sendable {
    public var name: String
    public var filter: Template?

    public init(name: String, filter: Template?) {
        self.name = name
        self.filter = filter
    }

    /// Whether an event name matches this trigger's name or glob (`*` any run of characters, `?` one).
    public func matches(_ eventName: String) -> Bool { Glob.matches(pattern: self.name, eventName) }
}

/// Shell-style glob matching for event names.
public enum Glob {
    public static func matches(pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
