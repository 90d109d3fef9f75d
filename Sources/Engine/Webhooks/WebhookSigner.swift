public import Foundation

/// Computes the headers a sender adds, for `triggerctl webhook sign` and the outbound `webhook` step.
///
/// Everything `WebhookSigner` signs, `WebhookVerifier` accepts with the same secret within the tolerance.
public enum WebhookSigner {
    /// The headers a sender of `scheme` would add to a request carrying `body`.
    ///
    /// - Parameters:
    ///   - secret: the secret as configured (for `standard`, `whsec_<base64>`).
    ///   - timestamp: signing time; whole seconds are used (Stripe, Slack, Standard Webhooks).
    ///   - id: the delivery id. Standard Webhooks sends it as `webhook-id` (keep it stable across retries);
    ///     GitHub as `X-GitHub-Delivery` when not empty; other schemes ignore it.
    ///   - header, algorithm, encoding, prefix: `hmac` only, as in `WebhookVerification`.
    /// - Returns: header names and values in the order a sender would write them.
    /// - Throws: `WebhookConfigurationError` for an empty secret, a `standard` secret that is not
    ///   base64, or a `standard` signature without an id.
    public static func sign(
        scheme: WebhookScheme,
        secret: String,
        body: [UInt8],
        timestamp: Date,
        id: String,
        header: String? = nil,
        algorithm: WebhookHMACAlgorithm = .sha256,
        encoding: WebhookSignatureEncoding = .hex,
        prefix: String = ""
    ) throws -> [(name: String, value: String)] {
        guard !secret.isEmpty else { throw WebhookConfigurationError("the secret is empty") }
        let seconds = String(Int64(timestamp.timeIntervalSince1970.rounded(.down)))
        let key = Array(secret.utf8)
        switch scheme {
        case .github:
            let signature = WebhookCrypto.hex(WebhookCrypto.mac(.sha256, key: key, message: body))
            var headers = [(name: "X-Hub-Signature-256", value: "sha256=\(signature)")]
            if !id.isEmpty { headers.append((name: "X-GitHub-Delivery", value: id)) }
            return headers
        case .stripe:
            let message = Array("\(seconds).".utf8) + body
            let signature = WebhookCrypto.hex(WebhookCrypto.mac(.sha256, key: key, message: message))
            return [(name: "Stripe-Signature", value: "t=\(seconds),v1=\(signature)")]
        case .slack:
            let message = Array("v0:\(seconds):".utf8) + body
            let signature = WebhookCrypto.hex(WebhookCrypto.mac(.sha256, key: key, message: message))
            return [
                (name: "X-Slack-Request-Timestamp", value: seconds),
                (name: "X-Slack-Signature", value: "v0=\(signature)"),
            ]
        case .standard:
            return try standardHeaders(secret: secret, body: body, seconds: seconds, id: id)
        case .hmac:
            let mac = WebhookCrypto.mac(algorithm, key: key, message: body)
            let encoded =
                switch encoding {
                case .hex: WebhookCrypto.hex(mac)
                case .base64: WebhookCrypto.base64(mac)
                }
            return [(name: header ?? "X-Signature", value: prefix + encoded)]
        case .bearer:
            return [(name: "Authorization", value: "Bearer \(secret)")]
        }
    }

    private static func standardHeaders(
        secret: String,
        body: [UInt8],
        seconds: String,
        id: String
    ) throws(WebhookConfigurationError) -> [(name: String, value: String)] {
        guard let key = WebhookCrypto.standardKey(secret) else {
            throw WebhookConfigurationError("a Standard Webhooks secret must be whsec_ followed by base64")
        }
        guard !id.isEmpty else { throw WebhookConfigurationError("Standard Webhooks signing needs a webhook id") }
        let message = Array("\(id).\(seconds).".utf8) + body
        let signature = WebhookCrypto.base64(WebhookCrypto.mac(.sha256, key: key, message: message))
        return [
            (name: "webhook-id", value: id),
            (name: "webhook-timestamp", value: seconds),
            (name: "webhook-signature", value: "v1,\(signature)"),
        ]
    }
}
