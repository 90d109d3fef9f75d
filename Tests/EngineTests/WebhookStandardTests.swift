import Testing

@testable import Engine

@Suite struct WebhookStandardTests {
    typealias T = WebhookTesting
    // The Standard Webhooks reference test vector (spec and reference libraries' sign tests).
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let body = #"{"test": 2432232314}"#
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    // base64("another-24-byte-secret!!"), and the vector's content signed with it.
    static let otherSecret = "whsec_YW5vdGhlci0yNC1ieXRlLXNlY3JldCEh"
    static let otherSignature = "v1,2NoWYYnx3BnNfUw9ADePU92Kj9eQ9fkLrh19WnUJQH4="

    let config = WebhookVerification(scheme: .standard, secrets: [Self.secret])
    let now = T.at(Self.timestamp)

    func headers(signature: String = Self.signature) -> [String: String] {
        ["webhook-id": Self.id, "webhook-timestamp": "1614265330", "webhook-signature": signature]
    }

    @Test func referenceVectorVerifiesWithTheIDAsDeliveryID() {
        #expect(
            T.accepted(self.config, self.headers(), Self.body, now: self.now) == VerifiedWebhook(deliveryID: Self.id)
        )
    }

    @Test func referenceVectorIsWhatWeSign() throws {
        let headers = try WebhookSigner.sign(
            scheme: .standard,
            secret: Self.secret,
            body: T.bytes(Self.body),
            timestamp: self.now,
            id: Self.id
        )
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == [Self.id, "1614265330", Self.signature])
    }

    @Test func secretWithoutThePrefixIsAlsoAccepted() {
        // As in the reference libraries: the prefix is optional, the rest is base64 either way.
        let config = WebhookVerification(scheme: .standard, secrets: ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(T.reason(config, self.headers(), Self.body, now: self.now) == nil)
    }

    @Test func anySignatureInTheListMayMatchAndV1aIsIgnored() {
        let list =
            "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== "
            + "v1,bm9wZQ== \(Self.otherSignature) \(Self.signature)"
        #expect(T.reason(self.config, self.headers(signature: list), Self.body, now: self.now) == nil)
    }

    @Test func tamperedBodyIsRejected() {
        #expect(
            T.reason(self.config, self.headers(), #"{"test": 2432232315}"#, now: self.now)
                == "signature does not match"
        )
    }

    @Test func tamperedIDIsRejected() {
        var headers = self.headers()
        headers["webhook-id"] = "msg_other"
        #expect(T.reason(self.config, headers, Self.body, now: self.now) == "signature does not match")
    }

    @Test func wrongSecretIsRejected() {
        let config = WebhookVerification(scheme: .standard, secrets: [Self.otherSecret])
        #expect(T.reason(config, self.headers(), Self.body, now: self.now) == "signature does not match")
    }

    @Test func secretIsBase64DecodedNotUsedAsIs() {
        // Keyed with the literal string (Stripe's way), the vector's signature comes out different.
        let literal = T.bytes(Self.secret)
        let message = T.bytes("\(Self.id).1614265330.\(Self.body)")
        let asIs = WebhookCrypto.base64(WebhookCrypto.mac(.sha256, key: literal, message: message))
        #expect("v1,\(asIs)" != Self.signature)
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .standard, secrets: [Self.secret, Self.otherSecret])
        #expect(T.reason(config, self.headers(signature: Self.otherSignature), Self.body, now: self.now) == nil)
    }

    @Test func staleTimestampIsRejected() {
        #expect(
            T.reason(self.config, self.headers(), Self.body, now: T.at(Self.timestamp + 301))
                == "timestamp outside the 300 s tolerance"
        )
        #expect(T.reason(self.config, self.headers(), Self.body, now: T.at(Self.timestamp + 300)) == nil)
    }

    @Test func futureTimestampIsRejected() {
        #expect(
            T.reason(self.config, self.headers(), Self.body, now: T.at(Self.timestamp - 301))
                == "timestamp outside the 300 s tolerance"
        )
    }

    @Test(arguments: ["webhook-id", "webhook-timestamp", "webhook-signature"])
    func missingHeaderIsRejected(name: String) {
        var headers = self.headers()
        headers[name] = nil
        #expect(T.reason(self.config, headers, Self.body, now: self.now) == "missing \(name) header")
    }

    @Test(arguments: [
        "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // no version
        "v1=g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // wrong separator
        "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // unknown version only
        "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // asymmetric only: not checkable with a secret
        "v1,***",
    ])
    func malformedSignatureHeaderIsRejected(value: String) {
        #expect(
            T.reason(self.config, self.headers(signature: value), Self.body, now: self.now)
                == "malformed webhook-signature header (no v1,<base64> signature)"
        )
    }

    @Test func malformedTimestampIsRejected() {
        var headers = self.headers()
        headers["webhook-timestamp"] = "2021-02-26T00:00:00Z"
        #expect(
            T.reason(self.config, headers, Self.body, now: self.now)
                == "malformed webhook-timestamp header (expected unix seconds)"
        )
    }

    @Test func secretThatIsNotBase64IsRejectedWithoutQuotingIt() {
        let config = WebhookVerification(scheme: .standard, secrets: ["whsec_not base64!"])
        let reason = T.reason(config, self.headers(), Self.body, now: self.now)
        #expect(reason == "configured secret is not a Standard Webhooks whsec_ key")
    }
}
