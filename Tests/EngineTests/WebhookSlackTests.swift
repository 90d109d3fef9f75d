import Testing

@testable import Engine

@Suite struct WebhookSlackTests {
    typealias T = WebhookTesting
    let body = #"{"type":"event_callback","event_id":"Ev08MFMKH6","event":{"type":"app_mention"}}"#
    // HMAC-SHA256 of "v0:1700000000:{body}" under "slack-signing-secret".
    let signature = "v0=a73a96d7fade0c61003c0d15037525b45b3211820009c59c23db314411da56a1"
    let config = WebhookVerification(scheme: .slack, secrets: ["slack-signing-secret"])

    var valid: [String: String] {
        ["x-slack-signature": self.signature, "x-slack-request-timestamp": "1700000000"]
    }

    // The worked example on Slack's "Verifying requests from Slack" page. The body is the one that
    // produces the published signature: it has `command=%2Fwebhook-collect&text=`.
    static let docSecret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let docBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    static let docSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

    @Test func publishedDocsExampleVerifies() {
        let config = WebhookVerification(scheme: .slack, secrets: [Self.docSecret])
        let headers = ["x-slack-signature": Self.docSignature, "x-slack-request-timestamp": "1531420618"]
        // A slash command is form-encoded: accepted, with no event_id to dedupe on.
        #expect(T.accepted(config, headers, Self.docBody, now: T.at(1_531_420_618)) == VerifiedWebhook())
    }

    @Test func publishedDocsExampleIsWhatWeSign() throws {
        let headers = try WebhookSigner.sign(
            scheme: .slack,
            secret: Self.docSecret,
            body: T.bytes(Self.docBody),
            timestamp: T.at(1_531_420_618),
            id: ""
        )
        #expect(headers.map(\.name) == ["X-Slack-Request-Timestamp", "X-Slack-Signature"])
        #expect(headers.map(\.value) == ["1531420618", Self.docSignature])
    }

    @Test func validEventIsAcceptedWithItsEventID() {
        #expect(T.accepted(self.config, self.valid, self.body) == VerifiedWebhook(deliveryID: "Ev08MFMKH6"))
    }

    @Test func urlVerificationChallengeIsReturnedForEcho() {
        let body =
            #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","#
            + #""challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let headers = [
            "x-slack-signature": "v0=daa5ed2fc0d2b23f218208326b8db8ba5b2a875f079b6375bca5cbda70eb2255",
            "x-slack-request-timestamp": "1700000000",
        ]
        let verified = T.accepted(self.config, headers, body)
        #expect(verified?.slackChallenge == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        #expect(verified?.deliveryID == nil)
    }

    @Test func unsignedChallengeIsNotEchoed() {
        // The challenge is only answered after the signature checks out.
        let body = #"{"challenge":"abc","type":"url_verification"}"#
        #expect(T.reason(self.config, self.valid, body) == "signature does not match")
    }

    @Test func tamperedBodyIsRejected() {
        let tampered = #"{"type":"event_callback","event_id":"Ev08MFMKH7","event":{"type":"app_mention"}}"#
        #expect(T.reason(self.config, self.valid, tampered) == "signature does not match")
    }

    @Test func wrongSecretIsRejected() {
        let config = WebhookVerification(scheme: .slack, secrets: [Self.docSecret])
        #expect(T.reason(config, self.valid, self.body) == "signature does not match")
    }

    @Test func rotatedSecondSecretMatches() {
        let config = WebhookVerification(scheme: .slack, secrets: [Self.docSecret, "slack-signing-secret"])
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
    }

    @Test func staleTimestampIsReportedBeforeTheSignature() {
        // A replayed request is refused for its age without computing any MAC.
        var headers = self.valid
        headers["x-slack-signature"] = "v0=00"
        #expect(
            T.reason(self.config, headers, self.body, now: T.at(T.signedAt + 1000))
                == "timestamp outside the 300 s tolerance"
        )
    }

    @Test func missingHeadersAreRejected() {
        #expect(
            T.reason(self.config, ["x-slack-request-timestamp": "1700000000"], self.body)
                == "missing X-Slack-Signature header"
        )
        #expect(
            T.reason(self.config, ["x-slack-signature": self.signature], self.body)
                == "missing X-Slack-Request-Timestamp header"
        )
    }

    @Test func malformedHeadersAreRejected() {
        var headers = self.valid
        headers["x-slack-signature"] = String(self.signature.dropFirst(3))
        #expect(T.reason(self.config, headers, self.body) == "malformed X-Slack-Signature header (expected v0=<hex>)")
        headers["x-slack-signature"] = "v1=" + self.signature.dropFirst(3)
        #expect(T.reason(self.config, headers, self.body) == "malformed X-Slack-Signature header (expected v0=<hex>)")
        headers = self.valid
        headers["x-slack-request-timestamp"] = "1700000000.5"
        #expect(
            T.reason(self.config, headers, self.body)
                == "malformed X-Slack-Request-Timestamp header (expected unix seconds)"
        )
    }
}
