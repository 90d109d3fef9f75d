import Foundation

@testable import Engine

/// Shared helpers for the Webhook*Tests suites. Expected signatures in those suites are literals computed
/// outside Swift (Python's hmac/hashlib), so the tests do not check the code against itself.
enum WebhookTesting {
    /// The instant most fixtures are signed at.
    static let signedAt: Int64 = 1_700_000_000
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs the verifier and returns the rejection reason, or `nil` when the delivery was accepted.
    static func reason(
        _ config: WebhookVerification,
        _ headers: [String: String],
        _ body: String,
        now: Date = WebhookTesting.now
    ) -> String? {
        switch WebhookVerifier.verify(config, headers: headers, body: bytes(body), now: now) {
        case .success: nil
        case .failure(let rejection): rejection.reason
        }
    }

    /// Runs the verifier and returns what it accepted, or `nil` when it rejected.
    static func accepted(
        _ config: WebhookVerification,
        _ headers: [String: String],
        _ body: String,
        now: Date = WebhookTesting.now
    ) -> VerifiedWebhook? {
        try? WebhookVerifier.verify(config, headers: headers, body: bytes(body), now: now).get()
    }

    /// Signed headers as the gateway hands them to the verifier: names lower-cased.
    static func lowercased(_ pairs: [(name: String, value: String)]) -> [String: String] {
        Dictionary(pairs.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
