/// How an inbound webhook proves where it came from: the `scheme` of a webhook trigger's `verify`.
public enum WebhookScheme: String, Sendable, CaseIterable, Codable {
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 over the body. No timestamp.
    case github
    /// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 over `"{t}.{body}"`.
    case stripe
    /// Slack v0: `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`, over `"v0:{ts}:{body}"`.
    case slack
    /// Standard Webhooks v1: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> …`.
    case standard
    /// A generic HMAC of the body in a configurable header, algorithm, encoding and prefix.
    case hmac
    /// `Authorization: Bearer <token>`, where the token is the secret itself.
    case bearer
}

/// The hash under a generic `hmac` scheme.
public enum WebhookHMACAlgorithm: String, Sendable, Codable, CaseIterable {
    case sha256, sha1, sha512
}

/// How a generic `hmac` signature is written in its header.
public enum WebhookSignatureEncoding: String, Sendable, Codable, CaseIterable {
    case hex, base64
}
