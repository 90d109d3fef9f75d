import Foundation
import Testing

@testable import Engine

@Suite struct WebhookStripeTests {
    typealias T = WebhookTesting
    let body = #"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"charge.succeeded"}"#
    // HMAC-SHA256 of "1700000000.{body}" under "whsec_stripe_test" and "whsec_stripe_other".
    let v1 = "04457361c1ce37e406cfb8f676eaa52f5fde70119b7fd475bd191bd2baace72d"
    let v1Other = "10906bc53f4973a8450e6f5b29a2b868af7c84e6a7ecc469cb21569c372a1277"
    let config = WebhookVerification(scheme: .stripe, secrets: ["whsec_stripe_test"])

    func headers(_ value: String) -> [String: String] { ["stripe-signature": value] }
    var valid: [String: String] { self.headers("t=1700000000,v1=\(self.v1)") }

    @Test func validDeliveryIsAcceptedWithTheEventIDAsDeliveryID() {
        let verified = T.accepted(self.config, self.valid, self.body)
        #expect(verified == VerifiedWebhook(deliveryID: "evt_1NG8Du2eZvKYlo2CUI79vXWy"))
    }

    @Test func anyOfSeveralV1SignaturesMayMatch() {
        // Stripe lists one v1 per active endpoint secret while one is being rolled; v0 is ignored.
        let value =
            "t=1700000000, v1=\(self.v1Other), v1=\(self.v1), "
            + "v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"
        #expect(T.reason(self.config, self.headers(value), self.body) == nil)
    }

    @Test func garbledExtraV1EntryDoesNotHideAGoodOne() {
        #expect(T.reason(self.config, self.headers("t=1700000000,v1=nothex,v1=\(self.v1)"), self.body) == nil)
    }

    @Test func tamperedBodyIsRejected() {
        let tampered = self.body.replacingOccurrences(of: "succeeded", with: "refunded")
        #expect(T.reason(self.config, self.valid, tampered) == "signature does not match")
    }

    @Test func tamperedTimestampIsRejected() {
        // The timestamp is signed: moving it, even inside the tolerance, breaks the signature.
        #expect(
            T.reason(self.config, self.headers("t=1700000001,v1=\(self.v1)"), self.body) == "signature does not match"
        )
    }

    @Test func wrongSecretIsRejected() {
        let config = WebhookVerification(scheme: .stripe, secrets: ["whsec_stripe_other"])
        #expect(T.reason(config, self.valid, self.body) == "signature does not match")
    }

    @Test func secretIsUsedAsIsNotBase64Decoded() {
        // Stripe keys the HMAC with the literal "whsec_…" string; without the prefix it is another key.
        let config = WebhookVerification(scheme: .stripe, secrets: ["stripe_test"])
        #expect(T.reason(config, self.valid, self.body) == "signature does not match")
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .stripe, secrets: ["whsec_stripe_other", "whsec_stripe_test"])
        #expect(T.reason(config, self.valid, self.body) == nil)
    }

    @Test func staleTimestampIsRejected() {
        #expect(
            T.reason(self.config, self.valid, self.body, now: T.at(T.signedAt + 301))
                == "timestamp outside the 300 s tolerance"
        )
        #expect(T.reason(self.config, self.valid, self.body, now: T.at(T.signedAt + 300)) == nil)
    }

    @Test func futureTimestampIsRejected() {
        #expect(
            T.reason(self.config, self.valid, self.body, now: T.at(T.signedAt - 301))
                == "timestamp outside the 300 s tolerance"
        )
        #expect(T.reason(self.config, self.valid, self.body, now: T.at(T.signedAt - 300)) == nil)
    }

    @Test func toleranceIsConfigurable() {
        var config = self.config
        config.tolerance = 30
        #expect(
            T.reason(config, self.valid, self.body, now: T.at(T.signedAt + 31))
                == "timestamp outside the 30 s tolerance"
        )
        config.tolerance = 3600
        #expect(T.reason(config, self.valid, self.body, now: T.at(T.signedAt + 3599)) == nil)
    }

    @Test func missingHeaderIsRejected() {
        #expect(T.reason(self.config, [:], self.body) == "missing Stripe-Signature header")
    }

    @Test(arguments: [
        ("v1=04457361c1ce37e406cfb8f676eaa52f5fde70119b7fd475bd191bd2baace72d", "no t= timestamp"),
        ("t=1700000000", "no v1= signature"),
        ("t=1700000000,v0=04457361c1ce37e406cfb8f676eaa52f5fde70119b7fd475bd191bd2baace72d", "no v1= signature"),
        ("garbage", "no t= timestamp"),
        ("t=soon,v1=04457361c1ce37e406cfb8f676eaa52f5fde70119b7fd475bd191bd2baace72d", "expected unix seconds"),
        ("t=-1700000000,v1=04457361c1ce37e406cfb8f676eaa52f5fde70119b7fd475bd191bd2baace72d", "expected unix seconds"),
    ])
    func malformedHeaderIsRejected(value: String, detail: String) {
        #expect(
            T.reason(self.config, self.headers(value), self.body) == "malformed Stripe-Signature header (\(detail))"
        )
    }

    @Test func deliveryIDIsAbsentWhenTheBodyHasNoID() {
        let body = #"{"object":"event"}"#
        let signed = WebhookVerifier.defaultDeliveryID(scheme: .stripe, headers: [:], body: T.bytes(body))
        #expect(signed == nil)
    }
}
