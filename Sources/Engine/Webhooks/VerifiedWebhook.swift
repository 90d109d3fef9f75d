/// What verification learned about an accepted delivery.
public struct VerifiedWebhook: Sendable, Equatable {
    /// The scheme's default dedupe id: GitHub `X-GitHub-Delivery`, Stripe body `id`,
    /// Standard Webhooks `webhook-id`, Slack body `event_id`; `nil` when the scheme has none or it is absent.
    public var deliveryID: String?
    /// Slack `url_verification` only: the `challenge` to echo back.
    public var slackChallenge: String?

    /// Creates a result; both fields default to absent.
    public init(deliveryID: String? = nil, slackChallenge: String? = nil) {
        self.deliveryID = deliveryID
        self.slackChallenge = slackChallenge
    }
}
