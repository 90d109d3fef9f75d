import Testing

@testable import Engine

@Suite struct WebhookCryptoTests {
    @Test func constantTimeEqualsComparesEveryByte() {
        #expect(WebhookCrypto.constantTimeEquals([], []))
        #expect(WebhookCrypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!WebhookCrypto.constantTimeEquals([1, 2, 3], [0, 2, 3]))
        #expect(!WebhookCrypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!WebhookCrypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!WebhookCrypto.constantTimeEquals([0x80], [0x00]))
    }

    @Test func matchesAnyFindsAMatchInAnyPosition() {
        #expect(WebhookCrypto.matchesAny([7], [[1], [7]]))
        #expect(WebhookCrypto.matchesAny([7], [[7], [1]]))
        #expect(!WebhookCrypto.matchesAny([7], [[1], [2]]))
        #expect(!WebhookCrypto.matchesAny([7], []))
    }

    @Test func hexRoundTripsAndRefusesBadInput() {
        #expect(WebhookCrypto.hex([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(WebhookCrypto.decodeHex("000fA5ff") == [0x00, 0x0F, 0xA5, 0xFF])
        #expect(WebhookCrypto.decodeHex("") == [])
        #expect(WebhookCrypto.decodeHex("abc") == nil)
        #expect(WebhookCrypto.decodeHex("0g") == nil)
    }

    @Test func base64RoundTripsAndRefusesBadInput() {
        #expect(WebhookCrypto.base64(Array("hi!?".utf8)) == "aGkhPw==")
        #expect(WebhookCrypto.decodeBase64("aGkhPw==") == Array("hi!?".utf8))
        #expect(WebhookCrypto.decodeBase64("") == nil)
        #expect(WebhookCrypto.decodeBase64("not base64!") == nil)
    }

    @Test func standardKeyStripsThePrefixAndDecodes() {
        #expect(WebhookCrypto.standardKey("whsec_aGkhPw==") == Array("hi!?".utf8))
        #expect(WebhookCrypto.standardKey("aGkhPw==") == Array("hi!?".utf8))
        #expect(WebhookCrypto.standardKey("whsec_") == nil)
    }

    @Test func macMatchesKnownAnswers() {
        // RFC 4231 test case 2 (SHA-256, SHA-512) and RFC 2202 test case 2 (SHA-1).
        let key = Array("Jefe".utf8)
        let message = Array("what do ya want for nothing?".utf8)
        #expect(
            WebhookCrypto.hex(WebhookCrypto.mac(.sha256, key: key, message: message))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
        #expect(
            WebhookCrypto.hex(WebhookCrypto.mac(.sha1, key: key, message: message))
                == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        )
        #expect(
            WebhookCrypto.hex(WebhookCrypto.mac(.sha512, key: key, message: message))
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        )
    }
}

@Suite struct WebhookConfigurationTests {
    @Test func defaultsAreAsDocumented() {
        let config = WebhookVerification(scheme: .hmac, secrets: ["s"])
        #expect(config.header == nil)
        #expect(config.hmacHeaderName == "x-signature")
        #expect(config.algorithm == .sha256)
        #expect(config.encoding == .hex)
        #expect(config.prefix == "")
        #expect(config.tolerance == 300)
    }

    @Test func schemeNamesAreTheWorkflowSpellings() {
        #expect(WebhookScheme.allCases.map(\.rawValue) == ["github", "stripe", "slack", "standard", "hmac", "bearer"])
    }

    @Test func validConfigurationsPass() throws {
        try WebhookVerification(scheme: .github, secrets: ["a", "b"]).validate()
        try WebhookVerification(scheme: .standard, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]).validate()
        try WebhookVerification(scheme: .hmac, secrets: ["a"], header: "X-Sig", tolerance: 60).validate()
    }

    @Test(arguments: [
        (WebhookVerification(scheme: .github, secrets: []), "verify needs a secret"),
        (
            WebhookVerification(scheme: .github, secrets: ["a", "b", "c"]),
            "verify accepts at most two secrets (the current and the previous one), got 3"
        ),
        (WebhookVerification(scheme: .slack, secrets: ["a", ""]), "secret 2 is empty"),
        (
            WebhookVerification(scheme: .standard, secrets: ["whsec_not base64"]),
            "secret 1 is not a Standard Webhooks key: expected whsec_ followed by base64"
        ),
        (
            WebhookVerification(scheme: .stripe, secrets: ["a"], tolerance: 0),
            "tolerance must be a positive number of seconds"
        ),
        (WebhookVerification(scheme: .hmac, secrets: ["a"], header: " "), "hmac header name is empty"),
    ])
    func invalidConfigurationsAreExplained(config: WebhookVerification, message: String) {
        #expect(throws: WebhookConfigurationError(message)) { try config.validate() }
    }
}
