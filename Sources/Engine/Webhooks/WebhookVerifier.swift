public import Foundation

/// Checks inbound webhook deliveries against an endpoint's `verify` settings. Pure: no I/O, injected clock.
///
/// Verification runs over the exact raw bytes received (never re-serialized JSON), compares in constant
/// time, accepts any configured secret (rotation) and any of several signatures a sender lists, and checks
/// timestamps within `tolerance` in both directions. Run it at ingress, before any queueing, because
/// queue delay would eat into the tolerance.
public enum WebhookVerifier {
    /// Verifies one delivery.
    ///
    /// - Parameters:
    ///   - config: the endpoint's resolved verification settings.
    ///   - headers: request headers with lower-cased names (a differently cased name is still found).
    ///   - body: the exact raw request body.
    ///   - now: the current time, from the caller's clock.
    /// - Returns: the scheme's default delivery id and, for Slack, any `url_verification` challenge;
    ///   or a `WebhookRejection` whose reason is safe to log and show.
    public static func verify(
        _ config: WebhookVerification,
        headers: [String: String],
        body: [UInt8],
        now: Date
    ) -> Result<VerifiedWebhook, WebhookRejection> {
        let request = InboundWebhook(headers: headers, body: body, now: now)
        do throws(WebhookRejection) {
            guard !config.secrets.isEmpty else { throw WebhookRejection.noSecret }
            switch config.scheme {
            case .github: try verifyGitHub(config, request)
            case .stripe: try verifyStripe(config, request)
            case .slack: try verifySlack(config, request)
            case .standard: try verifyStandard(config, request)
            case .hmac: try verifyHMAC(config, request)
            case .bearer: try verifyBearer(config, request)
            }
        } catch {
            return .failure(error)
        }
        let challenge = config.scheme == .slack ? slackChallenge(body: body) : nil
        return .success(
            VerifiedWebhook(
                deliveryID: defaultDeliveryID(scheme: config.scheme, headers: headers, body: body),
                slackChallenge: challenge
            )
        )
    }

    /// The id a scheme's sender keeps the same across retries, used to dedupe when a trigger sets no `dedupe`.
    ///
    /// GitHub `X-GitHub-Delivery`; Stripe the JSON body's `id`; Standard Webhooks `webhook-id`;
    /// Slack the JSON body's `event_id` (Events API; slash commands have none); `hmac` and `bearer` none.
    public static func defaultDeliveryID(scheme: WebhookScheme, headers: [String: String], body: [UInt8]) -> String? {
        switch scheme {
        case .github: return InboundWebhook.header("x-github-delivery", in: headers)
        case .standard: return InboundWebhook.header("webhook-id", in: headers)
        case .stripe: return jsonObject(body)?["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        case .slack: return jsonObject(body)?["event_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        case .hmac, .bearer: return nil
        }
    }

    /// The challenge of a Slack `url_verification` body, which the gateway echoes instead of starting a run.
    static func slackChallenge(body: [UInt8]) -> String? {
        guard let object = jsonObject(body), object["type"]?.stringValue == "url_verification" else { return nil }
        return object["challenge"]?.stringValue
    }

    /// The body as a JSON value when it looks like a JSON object; form-encoded bodies are not parsed at all.
    private static func jsonObject(_ body: [UInt8]) -> JSONValue? {
        let spaces: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard body.first(where: { !spaces.contains($0) }) == UInt8(ascii: "{") else { return nil }
        return try? JSONValue.parse(bytes: body)
    }
}
