import Foundation
import Testing

@testable import Engine

@Suite struct WebhookSignerTests {
    typealias T = WebhookTesting
    static let body = #"{"id":"evt_42","event_id":"Ev42","hello":"wörld"}"#

    static func secret(for scheme: WebhookScheme) -> String {
        scheme == .standard ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "round-trip-secret"
    }

    static func previousSecret(for scheme: WebhookScheme) -> String {
        scheme == .standard ? "whsec_YW5vdGhlci0yNC1ieXRlLXNlY3JldCEh" : "previous-secret"
    }

    @Test(arguments: WebhookScheme.allCases)
    func signedRequestsVerify(scheme: WebhookScheme) throws {
        let secret = Self.secret(for: scheme)
        let signed = try WebhookSigner.sign(
            scheme: scheme,
            secret: secret,
            body: T.bytes(Self.body),
            timestamp: T.now,
            id: "msg_42"
        )
        let config = WebhookVerification(scheme: scheme, secrets: [Self.previousSecret(for: scheme), secret])
        let result = WebhookVerifier.verify(config, headers: T.lowercased(signed), body: T.bytes(Self.body), now: T.now)
        let expectedID: String? =
            switch scheme {
            case .github, .standard: "msg_42"
            case .stripe: "evt_42"
            case .slack: "Ev42"
            case .hmac, .bearer: nil
            }
        #expect(result == .success(VerifiedWebhook(deliveryID: expectedID)))
    }

    @Test(arguments: [WebhookScheme.github, .stripe, .slack, .standard, .hmac])
    func signedRequestsFailWithAnotherBody(scheme: WebhookScheme) throws {
        let secret = Self.secret(for: scheme)
        let signed = try WebhookSigner.sign(
            scheme: scheme,
            secret: secret,
            body: T.bytes(Self.body),
            timestamp: T.now,
            id: "msg_42"
        )
        let config = WebhookVerification(scheme: scheme, secrets: [secret])
        let result = WebhookVerifier.verify(config, headers: T.lowercased(signed), body: T.bytes("{}"), now: T.now)
        #expect(result == .failure(WebhookRejection(reason: "signature does not match")))
    }

    @Test(arguments: [
        (WebhookHMACAlgorithm.sha256, WebhookSignatureEncoding.hex, "sha256="),
        (.sha1, .hex, "sha1="),
        (.sha512, .base64, ""),
        (.sha256, .base64, "v1:"),
    ])
    func hmacVariantsRoundTrip(algorithm: WebhookHMACAlgorithm, encoding: WebhookSignatureEncoding, prefix: String)
        throws
    {
        let signed = try WebhookSigner.sign(
            scheme: .hmac,
            secret: "s3",
            body: T.bytes(Self.body),
            timestamp: T.now,
            id: "",
            header: "X-Custom-Sig",
            algorithm: algorithm,
            encoding: encoding,
            prefix: prefix
        )
        #expect(signed.map(\.name) == ["X-Custom-Sig"])
        #expect(signed.first?.value.hasPrefix(prefix) == true)
        let config = WebhookVerification(
            scheme: .hmac,
            secrets: ["s3"],
            header: "X-Custom-Sig",
            algorithm: algorithm,
            encoding: encoding,
            prefix: prefix
        )
        let result = WebhookVerifier.verify(config, headers: T.lowercased(signed), body: T.bytes(Self.body), now: T.now)
        #expect(result == .success(VerifiedWebhook()))
    }

    @Test func exactHeadersPerScheme() throws {
        let body = T.bytes("hello")
        func sign(_ scheme: WebhookScheme, _ secret: String) throws -> [String] {
            try WebhookSigner.sign(
                scheme: scheme,
                secret: secret,
                body: body,
                timestamp: T.at(1_700_000_000),
                id: "d-1"
            )
            .map { "\($0.name): \($0.value)" }
        }
        // Expected values from Python's hmac over the same inputs.
        #expect(
            try sign(.stripe, "whsec_x") == [
                "Stripe-Signature: t=1700000000,v1=20d8679b715783336aef8d9fff251ed21322d839b1f5de36998c6130fdee4d9f"
            ]
        )
        #expect(try sign(.bearer, "tok") == ["Authorization: Bearer tok"])
        #expect(
            try sign(.github, "hmac-secret") == [
                "X-Hub-Signature-256: sha256=8301c739f026014e57b1995842e7e9db5f86ed8552b7d51221c9278ece87b308",
                "X-GitHub-Delivery: d-1",
            ]
        )
        #expect(
            try sign(.hmac, "hmac-secret") == [
                "X-Signature: 8301c739f026014e57b1995842e7e9db5f86ed8552b7d51221c9278ece87b308"
            ]
        )
    }

    @Test func fractionalTimestampsAreTruncatedToWholeSeconds() throws {
        let signed = try WebhookSigner.sign(
            scheme: .slack,
            secret: "s",
            body: [],
            timestamp: Date(timeIntervalSince1970: 1_700_000_000.9),
            id: ""
        )
        #expect(signed.first?.value == "1700000000")
    }

    @Test func signingErrorsAreClear() {
        #expect(throws: WebhookConfigurationError("the secret is empty")) {
            try WebhookSigner.sign(scheme: .github, secret: "", body: [], timestamp: T.now, id: "")
        }
        #expect(throws: WebhookConfigurationError("a Standard Webhooks secret must be whsec_ followed by base64")) {
            try WebhookSigner.sign(scheme: .standard, secret: "whsec_%%%", body: [], timestamp: T.now, id: "m")
        }
        #expect(throws: WebhookConfigurationError("Standard Webhooks signing needs a webhook id")) {
            try WebhookSigner.sign(scheme: .standard, secret: "whsec_c2VjcmV0", body: [], timestamp: T.now, id: "")
        }
    }
}
