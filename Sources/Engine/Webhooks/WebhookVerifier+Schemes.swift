import Foundation

// One check per scheme. Each throws the first problem found: a missing or malformed header, a timestamp
// outside the tolerance (checked before any MAC, so replayed junk costs no hashing), or no match.
extension WebhookVerifier {
    static func verifyGitHub(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let name = "X-Hub-Signature-256"
        let value = try request.required("x-hub-signature-256", display: name)
        guard value.hasPrefix("sha256="), let signature = WebhookCrypto.decodeHex(value.dropFirst(7)),
            signature.count == 32
        else { throw WebhookRejection.malformed(name, "expected sha256=<64 hex digits>") }
        let expected = config.secrets.map { WebhookCrypto.mac(.sha256, key: Array($0.utf8), message: request.body) }
        guard WebhookCrypto.matchesAny(signature, expected) else { throw WebhookRejection.mismatch }
    }

    static func verifyStripe(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let name = "Stripe-Signature"
        let value = try request.required("stripe-signature", display: name)
        var timestampText: String?
        var candidates: [[UInt8]] = []
        var sawV1 = false
        for item in value.split(separator: ",") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = String(item[..<equals]).trimmingSpaces
            let text = String(item[item.index(after: equals)...]).trimmingSpaces
            switch key {
            case "t": timestampText = text
            case "v1":
                // Several v1 entries appear while Stripe rolls a secret; a garbled one simply cannot match.
                sawV1 = true
                if let bytes = WebhookCrypto.decodeHex(text) { candidates.append(bytes) }
            default: continue  // v0 (test-mode legacy) and future schemes are not checked
            }
        }
        guard let timestampText else { throw WebhookRejection.malformed(name, "no t= timestamp") }
        guard sawV1 else { throw WebhookRejection.malformed(name, "no v1= signature") }
        let timestamp = try parseTimestamp(timestampText, header: name)
        try checkFreshness(timestamp, config: config, now: request.now)
        let message = Array("\(timestampText).".utf8) + request.body
        // Stripe uses the whole `whsec_…` string as the key, unlike Standard Webhooks.
        let expected = config.secrets.map { WebhookCrypto.mac(.sha256, key: Array($0.utf8), message: message) }
        guard candidates.contains(where: { WebhookCrypto.matchesAny($0, expected) }) else {
            throw WebhookRejection.mismatch
        }
    }

    static func verifySlack(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let signatureName = "X-Slack-Signature"
        let timestampName = "X-Slack-Request-Timestamp"
        let value = try request.required("x-slack-signature", display: signatureName)
        let timestampText = try request.required("x-slack-request-timestamp", display: timestampName)
        guard value.hasPrefix("v0="), let signature = WebhookCrypto.decodeHex(value.dropFirst(3)) else {
            throw WebhookRejection.malformed(signatureName, "expected v0=<hex>")
        }
        let timestamp = try parseTimestamp(timestampText, header: timestampName)
        try checkFreshness(timestamp, config: config, now: request.now)
        let message = Array("v0:\(timestampText):".utf8) + request.body
        let expected = config.secrets.map { WebhookCrypto.mac(.sha256, key: Array($0.utf8), message: message) }
        guard WebhookCrypto.matchesAny(signature, expected) else { throw WebhookRejection.mismatch }
    }

    static func verifyStandard(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let signatureName = "webhook-signature"
        let id = try request.required("webhook-id", display: "webhook-id")
        let timestampText = try request.required("webhook-timestamp", display: "webhook-timestamp")
        let value = try request.required("webhook-signature", display: signatureName)
        var keys: [[UInt8]] = []
        for secret in config.secrets {
            guard let key = WebhookCrypto.standardKey(secret) else {
                throw WebhookRejection(reason: "configured secret is not a Standard Webhooks whsec_ key")
            }
            keys.append(key)
        }
        // A space-separated list of `version,signature`; only v1 (HMAC-SHA256) is checkable with a
        // symmetric secret, so v1a (ed25519) and unknown versions are skipped.
        var candidates: [[UInt8]] = []
        for entry in value.split(separator: " ") {
            guard let comma = entry.firstIndex(of: ","), entry[..<comma] == "v1" else { continue }
            if let bytes = WebhookCrypto.decodeBase64(entry[entry.index(after: comma)...]) { candidates.append(bytes) }
        }
        guard !candidates.isEmpty else { throw WebhookRejection.malformed(signatureName, "no v1,<base64> signature") }
        let timestamp = try parseTimestamp(timestampText, header: "webhook-timestamp")
        try checkFreshness(timestamp, config: config, now: request.now)
        let message = Array("\(id).\(timestampText).".utf8) + request.body
        let expected = keys.map { WebhookCrypto.mac(.sha256, key: $0, message: message) }
        guard candidates.contains(where: { WebhookCrypto.matchesAny($0, expected) }) else {
            throw WebhookRejection.mismatch
        }
    }

    static func verifyHMAC(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let name = config.header ?? WebhookVerification.defaultHMACHeader
        let value = try request.required(config.hmacHeaderName, display: name)
        guard value.hasPrefix(config.prefix) else {
            throw WebhookRejection.malformed(name, "expected the prefix \(config.prefix)")
        }
        let encoded = value.dropFirst(config.prefix.count)
        let decoded =
            switch config.encoding {
            case .hex: WebhookCrypto.decodeHex(encoded)
            case .base64: WebhookCrypto.decodeBase64(encoded)
            }
        guard let signature = decoded else {
            throw WebhookRejection.malformed(name, "expected \(config.encoding.rawValue) after the prefix")
        }
        let expected = config.secrets.map {
            WebhookCrypto.mac(config.algorithm, key: Array($0.utf8), message: request.body)
        }
        guard WebhookCrypto.matchesAny(signature, expected) else { throw WebhookRejection.mismatch }
    }

    static func verifyBearer(_ config: WebhookVerification, _ request: InboundWebhook) throws(WebhookRejection) {
        let name = "Authorization"
        let value = try request.required("authorization", display: name)
        guard let space = value.firstIndex(of: " "), value[..<space].lowercased() == "bearer" else {
            throw WebhookRejection.malformed(name, "expected Bearer <token>")
        }
        let token = String(value[value.index(after: space)...]).trimmingSpaces
        guard !token.isEmpty else { throw WebhookRejection.malformed(name, "expected Bearer <token>") }
        // Hashing both sides first makes the compared lengths equal and public, so the time taken
        // says nothing about the secret's length or how much of it the caller guessed.
        let expected = config.secrets.map { WebhookCrypto.sha256(Array($0.utf8)) }
        guard WebhookCrypto.matchesAny(WebhookCrypto.sha256(Array(token.utf8)), expected) else {
            throw WebhookRejection(reason: "bearer token does not match")
        }
    }

    /// Unix seconds written as plain digits; anything else (signs, fractions, 16+ digits) is malformed.
    static func parseTimestamp(_ text: String, header: String) throws(WebhookRejection) -> Int64 {
        guard (1...15).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int64(text)
        else { throw WebhookRejection.malformed(header, "expected unix seconds") }
        return value
    }

    /// Rejects a timestamp further than the tolerance from now, in the past (replay) or the future (skew).
    static func checkFreshness(_ timestamp: Int64, config: WebhookVerification, now: Date) throws(WebhookRejection) {
        let distance = abs(now.timeIntervalSince1970 - Double(timestamp))
        guard distance <= config.tolerance else { throw WebhookRejection.stale(tolerance: config.tolerance) }
    }
}
