import Testing

@testable import Engine

@Suite struct WebhookGitHubTests {
    typealias T = WebhookTesting
    let body = #"{"zen":"Keep it logically awesome.","hook_id":1}"#
    let signature = "sha256=ccfcf8f554fe45b6fffa3e6a32eb13ac37b3a1f337d0bbc97afee1ff38f1c81e"
    let delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
    let config = WebhookVerification(scheme: .github, secrets: ["gh-secret"])

    var headers: [String: String] {
        ["x-hub-signature-256": self.signature, "x-github-delivery": self.delivery, "x-github-event": "ping"]
    }

    @Test func publishedDocsExampleVerifies() {
        // docs.github.com "Validating webhook deliveries": secret, payload and signature as published.
        let config = WebhookVerification(scheme: .github, secrets: ["It's a Secret to Everybody"])
        let headers = ["x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]
        #expect(T.accepted(config, headers, "Hello, World!") == VerifiedWebhook(deliveryID: nil))
    }

    @Test func publishedDocsExampleIsWhatWeSign() throws {
        let headers = try WebhookSigner.sign(
            scheme: .github,
            secret: "It's a Secret to Everybody",
            body: T.bytes("Hello, World!"),
            timestamp: T.now,
            id: ""
        )
        #expect(headers.map(\.name) == ["X-Hub-Signature-256"])
        #expect(headers.map(\.value) == ["sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"])
    }

    @Test func validDeliveryIsAcceptedWithItsDeliveryID() {
        #expect(T.accepted(self.config, self.headers, self.body) == VerifiedWebhook(deliveryID: self.delivery))
    }

    @Test func noTimestampMeansAnyTimeVerifies() {
        // GitHub signs no timestamp: replay protection is only delivery-id dedupe.
        #expect(T.reason(self.config, self.headers, self.body, now: T.at(0)) == nil)
    }

    @Test func upperCaseHexIsAccepted() {
        let headers = ["x-hub-signature-256": "sha256=" + self.signature.dropFirst(7).uppercased()]
        #expect(T.reason(self.config, headers, self.body) == nil)
    }

    @Test func tamperedBodyIsRejected() {
        #expect(T.reason(self.config, self.headers, self.body + " ") == "signature does not match")
        #expect(
            T.reason(self.config, self.headers, #"{"zen":"Keep it logically awesome.","hook_id":2}"#)
                == "signature does not match"
        )
    }

    @Test func wrongSecretIsRejected() {
        let config = WebhookVerification(scheme: .github, secrets: ["not-the-secret"])
        #expect(T.reason(config, self.headers, self.body) == "signature does not match")
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .github, secrets: ["the-new-secret", "gh-secret"])
        #expect(T.reason(config, self.headers, self.body) == nil)
    }

    @Test func missingHeaderIsRejected() {
        #expect(
            T.reason(self.config, ["x-github-delivery": self.delivery], self.body)
                == "missing X-Hub-Signature-256 header"
        )
        #expect(T.reason(self.config, ["x-hub-signature-256": "  "], self.body) == "missing X-Hub-Signature-256 header")
    }

    @Test(arguments: [
        "ccfcf8f554fe45b6fffa3e6a32eb13ac37b3a1f337d0bbc97afee1ff38f1c81e",  // no prefix
        "sha1=ccfcf8f554fe45b6fffa3e6a32eb13ac37b3a1f337d0bbc97afee1ff38f1c81e",
        "sha256=zzfcf8f554fe45b6fffa3e6a32eb13ac37b3a1f337d0bbc97afee1ff38f1c81e",
        "sha256=ccfcf8f554fe45b6fffa3e6a32eb13ac37b3a1f337d0bbc97afee1ff38f1c81",  // odd length
        "sha256=ccfcf8f554fe45b6",  // too short for SHA-256
    ])
    func malformedHeaderIsRejected(value: String) {
        let reason = T.reason(self.config, ["x-hub-signature-256": value], self.body)
        #expect(reason == "malformed X-Hub-Signature-256 header (expected sha256=<64 hex digits>)")
    }

    @Test func rejectionNeverQuotesTheSignature() {
        let reason = T.reason(self.config, ["x-hub-signature-256": "sha1=" + self.signature], self.body)
        #expect(reason?.contains("ccfcf8") == false)
    }

    @Test func emptySecretListIsRejected() {
        let config = WebhookVerification(scheme: .github, secrets: [])
        #expect(T.reason(config, self.headers, self.body) == "no webhook secret configured")
    }

    @Test func mixedCaseHeaderNamesAreStillFound() {
        #expect(T.reason(self.config, ["X-Hub-Signature-256": self.signature], self.body) == nil)
    }
}
