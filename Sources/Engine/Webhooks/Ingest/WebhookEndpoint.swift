/// One served webhook path: the workflow it feeds, its trigger, and its verification with secrets resolved.
public struct WebhookEndpoint: Sendable {
    /// The current definition of the workflow that owns the path.
    public let workflow: WorkflowDefinition
    /// The webhook trigger that declared the path.
    public let trigger: WebhookTrigger
    /// `nil` for an endpoint without `verify`; a failure names why the secrets could not be resolved.
    let verification: Result<WebhookVerification, WebhookSecretProblem>?

    /// The largest body accepted (`max_body`).
    public var maxBody: Int { self.trigger.maxBody }

    /// Resolves the trigger's secret templates against the daemon's secrets.
    init(workflow: WorkflowDefinition, trigger: WebhookTrigger, secrets: JSONValue) {
        self.workflow = workflow
        self.trigger = trigger
        guard let spec = trigger.verify else {
            self.verification = nil
            return
        }
        self.verification = Self.resolve(spec, secrets: secrets)
    }

    private static func resolve(_ spec: WebhookVerifySpec, secrets: JSONValue) -> Result<WebhookVerification, WebhookSecretProblem> {
        let scope = ExpressionScope(roots: ["secrets": secrets])
        var values: [String] = []
        for template in spec.secrets {
            let value: String
            do {
                value = try template.evaluate(in: scope).interpolated
            } catch {
                return .failure(WebhookSecretProblem(message: "cannot resolve a verify secret: \(error)"))
            }
            guard !value.isEmpty else {
                return .failure(WebhookSecretProblem(message: "a verify secret resolved to an empty value"))
            }
            values.append(value)
        }
        let verification = WebhookVerification(
            scheme: spec.scheme, secrets: values, header: spec.header, algorithm: spec.algorithm,
            encoding: spec.encoding, prefix: spec.prefix, tolerance: spec.tolerance)
        do {
            try verification.validate()
        } catch {
            return .failure(WebhookSecretProblem(message: error.description))
        }
        return .success(verification)
    }
}

/// Why an endpoint's secrets could not be resolved; the message never quotes a secret value.
struct WebhookSecretProblem: Error, Sendable {
    let message: String
}

/// Every served path of the current workflows, rebuilt on each reload.
struct WebhookRouteTable: Sendable {
    private(set) var byPath: [String: WebhookEndpoint] = [:]

    init() {}

    /// One endpoint per webhook trigger path (the loader guarantees paths are unique across workflows).
    init(definitions: [String: WorkflowDefinition], secrets: JSONValue) {
        for name in definitions.keys.sorted() {
            guard let definition = definitions[name] else { continue }
            for trigger in definition.webhookTriggers where self.byPath[trigger.path] == nil {
                self.byPath[trigger.path] = WebhookEndpoint(workflow: definition, trigger: trigger, secrets: secrets)
            }
        }
    }
}
