import Testing

@testable import Engine

@Suite struct WebhookHMACTests {
    typealias T = WebhookTesting
    // Python: hmac.new(b"hmac-secret", b"hello", sha256 / sha1 / sha512).
    static let sha256Hex = "8301c739f026014e57b1995842e7e9db5f86ed8552b7d51221c9278ece87b308"
    static let sha1Hex = "3ea4a82c7ca43f9686b2f3ad387af492aa78eb6d"
    static let sha512Base64 = "JThkDVrbBgN2bFRI1x48lSN9OhVRCceN2MLsvegD6d6zCvfljHSsJBREz3lJQHDFRz5OEKvlCkR6T87mN2jJUA=="

    let config = WebhookVerification(scheme: .hmac, secrets: ["hmac-secret"])

    @Test func defaultsAreSHA256HexInXSignature() {
        #expect(T.accepted(self.config, ["x-signature": Self.sha256Hex], "hello") == VerifiedWebhook())
    }

    @Test func prefixedSHA1InACustomHeader() {
        let config = WebhookVerification(
            scheme: .hmac,
            secrets: ["hmac-secret"],
            header: "X-Hub-Signature",
            algorithm: .sha1,
            prefix: "sha1="
        )
        #expect(T.reason(config, ["x-hub-signature": "sha1=" + Self.sha1Hex], "hello") == nil)
        #expect(
            T.reason(config, ["x-hub-signature": Self.sha1Hex], "hello")
                == "malformed X-Hub-Signature header (expected the prefix sha1=)"
        )
    }

    @Test func sha512Base64() {
        let config = WebhookVerification(
            scheme: .hmac,
            secrets: ["hmac-secret"],
            header: "x-shop-hmac",
            algorithm: .sha512,
            encoding: .base64
        )
        #expect(T.reason(config, ["x-shop-hmac": Self.sha512Base64], "hello") == nil)
        #expect(T.reason(config, ["x-shop-hmac": Self.sha256Hex], "hello") == "signature does not match")
        #expect(
            T.reason(config, ["x-shop-hmac": "sha512=" + Self.sha512Base64], "hello")
                == "malformed x-shop-hmac header (expected base64 after the prefix)"
        )
    }

    @Test func algorithmMustMatch() {
        var config = self.config
        config.algorithm = .sha512
        #expect(T.reason(config, ["x-signature": Self.sha256Hex], "hello") == "signature does not match")
    }

    @Test func tamperedBodyIsRejected() {
        #expect(T.reason(self.config, ["x-signature": Self.sha256Hex], "hello!") == "signature does not match")
    }

    @Test func wrongSecretIsRejected() {
        let config = WebhookVerification(scheme: .hmac, secrets: ["other"])
        #expect(T.reason(config, ["x-signature": Self.sha256Hex], "hello") == "signature does not match")
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .hmac, secrets: ["other", "hmac-secret"])
        #expect(T.reason(config, ["x-signature": Self.sha256Hex], "hello") == nil)
    }

    @Test func missingHeaderIsRejected() {
        #expect(T.reason(self.config, ["x-hub-signature": Self.sha256Hex], "hello") == "missing x-signature header")
    }

    @Test func malformedHeaderIsRejected() {
        #expect(
            T.reason(self.config, ["x-signature": "not hex"], "hello")
                == "malformed x-signature header (expected hex after the prefix)"
        )
    }

    @Test func rawBytesAreVerifiedNotText() {
        // A body that is not UTF-8 must still verify byte for byte.
        let body: [UInt8] = [0xFF, 0x00, 0xFE, 0x0A]
        let headers = try? WebhookSigner.sign(
            scheme: .hmac,
            secret: "hmac-secret",
            body: body,
            timestamp: T.now,
            id: ""
        )
        let signed = T.lowercased(headers ?? [])
        #expect(signed.keys.sorted() == ["x-signature"])
        let result = WebhookVerifier.verify(self.config, headers: signed, body: body, now: T.now)
        #expect(result == .success(VerifiedWebhook()))
        let changed = WebhookVerifier.verify(self.config, headers: signed, body: [0xFF, 0x00, 0xFE], now: T.now)
        #expect(changed == .failure(WebhookRejection(reason: "signature does not match")))
    }
}

@Suite struct WebhookBearerTests {
    typealias T = WebhookTesting
    let config = WebhookVerification(scheme: .bearer, secrets: ["tok-123"])

    @Test func validTokenIsAccepted() {
        #expect(T.accepted(self.config, ["authorization": "Bearer tok-123"], "{}") == VerifiedWebhook())
        #expect(T.reason(self.config, ["authorization": "bearer tok-123"], "{}") == nil)
    }

    @Test func bodyIsNotSignedSoAnyBodyPasses() {
        #expect(T.reason(self.config, ["authorization": "Bearer tok-123"], "anything at all") == nil)
    }

    @Test func wrongTokenIsRejected() {
        #expect(T.reason(self.config, ["authorization": "Bearer tok-124"], "{}") == "bearer token does not match")
        #expect(T.reason(self.config, ["authorization": "Bearer tok-1234"], "{}") == "bearer token does not match")
        #expect(T.reason(self.config, ["authorization": "Bearer tok-12"], "{}") == "bearer token does not match")
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .bearer, secrets: ["tok-new", "tok-123"])
        #expect(T.reason(config, ["authorization": "Bearer tok-123"], "{}") == nil)
        #expect(T.reason(config, ["authorization": "Bearer tok-new"], "{}") == nil)
    }

    @Test func missingHeaderIsRejected() {
        #expect(T.reason(self.config, [:], "{}") == "missing Authorization header")
    }

    @Test(arguments: ["tok-123", "Basic dG9rLTEyMw==", "Bearer ", "Bearer"])
    func malformedHeaderIsRejected(value: String) {
        #expect(
            T.reason(self.config, ["authorization": value], "{}")
                == "malformed Authorization header (expected Bearer <token>)"
        )
    }
}
