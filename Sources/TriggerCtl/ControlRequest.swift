import Engine

/// One call to the control API (SPEC §8), independent of how it travels.
///
/// Every subcommand builds its request here, so the mapping from arguments to method, path and body
/// can be tested without a daemon.
struct ControlRequest: Equatable, Sendable {
    /// `GET` or `POST`.
    var method: String
    /// The path with its query string, e.g. `/v1/runs?status=failed&limit=20`.
    var path: String
    /// The JSON body of a `POST`; `nil` sends none.
    var body: JSONValue?
    /// Seconds to wait for the whole answer.
    var timeout: Double

    init(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double = 60) {
        self.method = method
        self.path = path
        self.body = body
        self.timeout = timeout
    }

    static let status = ControlRequest("GET", "/v1/status")
    static let workflows = ControlRequest("GET", "/v1/workflows")
    static let approvals = ControlRequest("GET", "/v1/approvals")
    static let reload = ControlRequest("POST", "/v1/reload")
    static let schedules = ControlRequest("GET", "/v1/schedules")

    static func workflow(_ name: String) -> ControlRequest {
        ControlRequest("GET", "/v1/workflows/\(Self.segment(name))")
    }

    /// `GET /v1/workflows/{name}/versions`: the stored versions, newest first.
    static func workflowVersions(_ name: String) -> ControlRequest {
        ControlRequest("GET", "/v1/workflows/\(Self.segment(name))/versions")
    }

    /// `GET /v1/workflows/{name}/versions/{version}`: one version with its source.
    static func workflowVersion(_ name: String, _ version: String) -> ControlRequest {
        ControlRequest("GET", "/v1/workflows/\(Self.segment(name))/versions/\(Self.segment(version))")
    }

    /// `POST /v1/workflows/{name}/runs` with `{"input": ...}`.
    static func startRun(workflow: String, input: JSONValue) -> ControlRequest {
        ControlRequest("POST", "/v1/workflows/\(Self.segment(workflow))/runs", body: ["input": input])
    }

    /// `GET /v1/runs` with only the filters that were given.
    static func runs(
        workflow: String? = nil, status: String? = nil, trigger: String? = nil, limit: Int? = nil, before: String? = nil
    ) -> ControlRequest {
        ControlRequest(
            "GET",
            Self.withQuery(
                "/v1/runs",
                [
                    ("workflow", workflow), ("status", status), ("trigger", trigger), ("limit", limit.map { String($0) }),
                    ("before", before),
                ]
            )
        )
    }

    static func run(_ id: String) -> ControlRequest {
        ControlRequest("GET", "/v1/runs/\(Self.segment(id))")
    }

    /// One page of a run's stored events, oldest first: at most `limit` with `seq > after`
    /// (`GET /v1/runs/{id}/events?after=SEQ&limit=N`; `after` is left out when 0).
    static func runEvents(_ id: String, after: Int64 = 0, limit: Int) -> ControlRequest {
        ControlRequest(
            "GET",
            Self.withQuery(
                "/v1/runs/\(Self.segment(id))/events",
                [("after", after > 0 ? String(after) : nil), ("limit", String(limit))]
            )
        )
    }

    static func cancel(_ id: String) -> ControlRequest {
        ControlRequest("POST", "/v1/runs/\(Self.segment(id))/cancel")
    }

    static func retry(_ id: String) -> ControlRequest {
        ControlRequest("POST", "/v1/runs/\(Self.segment(id))/retry")
    }

    /// `POST /v1/runs/{id}/steps/{step}/approve` or `.../reject`, body `{"comment"}` when one is given.
    static func decide(run: String, step: String, approve: Bool, comment: String?) -> ControlRequest {
        var body: [String: JSONValue] = [:]
        if let comment { body["comment"] = .string(comment) }
        return ControlRequest(
            "POST",
            "/v1/runs/\(Self.segment(run))/steps/\(Self.segment(step))/\(approve ? "approve" : "reject")",
            body: .object(body)
        )
    }

    /// `POST /v1/events` with `{"name", "key"?, "data"?}`.
    static func emit(name: String, key: String?, data: JSONValue?) -> ControlRequest {
        var body: [String: JSONValue] = ["name": .string(name)]
        if let key { body["key"] = .string(key) }
        if let data { body["data"] = data }
        return ControlRequest("POST", "/v1/events", body: .object(body))
    }

    /// Server-Sent Events of every run, or of one run when `run` is given.
    static func eventStream(run: String? = nil) -> ControlRequest {
        ControlRequest("GET", Self.withQuery("/v1/events/stream", [("run", run)]))
    }

    /// One page of a cron trigger's fire ledger, newest slot first
    /// (`GET /v1/schedules/{workflow}/{trigger}/ledger?before=&limit=`).
    static func scheduleLedger(workflow: String, trigger: String, before: String? = nil, limit: Int? = nil) -> ControlRequest {
        ControlRequest(
            "GET",
            Self.withQuery(
                "/v1/schedules/\(Self.segment(workflow))/\(Self.segment(trigger))/ledger",
                [("before", before), ("limit", limit.map { String($0) })]
            )
        )
    }

    static func deliveries(workflow: String?) -> ControlRequest {
        ControlRequest("GET", Self.withQuery("/v1/deliveries", [("workflow", workflow)]))
    }

    /// `POST /v1/backup` with `{"path"}`; the path must be absolute, since the daemon resolves it.
    static func backup(path: String) -> ControlRequest {
        // A backup copies the whole database; give it far longer than a query.
        ControlRequest("POST", "/v1/backup", body: ["path": .string(path)], timeout: 3600)
    }

    static let tokens = ControlRequest("GET", "/v1/tokens")

    /// `POST /v1/tokens` with `{"name", "role"}`.
    static func createToken(name: String, role: String) -> ControlRequest {
        ControlRequest("POST", "/v1/tokens", body: ["name": .string(name), "role": .string(role)])
    }

    static func revokeToken(_ name: String) -> ControlRequest {
        ControlRequest("POST", "/v1/tokens/\(Self.segment(name))/revoke")
    }

    // MARK: - Encoding

    /// `base?k=v&...` with the given (non-nil) parameters in order, values percent-encoded.
    static func withQuery(_ base: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { name, value in value.map { "\(name)=\(Self.percentEncoded($0))" } }
        return pairs.isEmpty ? base : base + "?" + pairs.joined(separator: "&")
    }

    /// A name or id as one path segment: anything but unreserved characters is percent-encoded, so a
    /// `/` in a name cannot reach another route.
    static func segment(_ text: String) -> String { Self.percentEncoded(text) }

    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
