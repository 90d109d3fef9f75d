/// How one webhook endpoint verifies its deliveries: the resolved `verify` block of a webhook trigger.
///
/// `secrets` holds one value, or two while a secret is being rotated; a delivery signed with any of
/// them is accepted. `header`, `algorithm`, `encoding` and `prefix` only matter to the `hmac` scheme.
public struct WebhookVerification: Sendable, Hashable {
    /// The verification scheme.
    public var scheme: WebhookScheme
    /// Resolved secret values (1, or 2 during rotation). For `standard` each is `whsec_<base64>`.
    public var secrets: [String]
    /// `hmac` only: the header carrying the signature; `nil` means `x-signature`.
    public var header: String?
    /// `hmac` only: the hash function.
    public var algorithm: WebhookHMACAlgorithm
    /// `hmac` only: how the signature bytes are written.
    public var encoding: WebhookSignatureEncoding
    /// `hmac` only: text before the encoded signature, such as `sha256=`.
    public var prefix: String
    /// Largest accepted distance, in seconds and in either direction, between a signed timestamp and now.
    public var tolerance: Double

    /// The header an `hmac` endpoint reads when none is configured.
    public static let defaultHMACHeader = "x-signature"
    /// The default timestamp tolerance: five minutes, as every provider's reference library uses.
    public static let defaultTolerance: Double = 300

    /// Creates a verification; every setting except the scheme and secrets has the documented default.
    public init(
        scheme: WebhookScheme,
        secrets: [String],
        header: String? = nil,
        algorithm: WebhookHMACAlgorithm = .sha256,
        encoding: WebhookSignatureEncoding = .hex,
        prefix: String = "",
        tolerance: Double = WebhookVerification.defaultTolerance
    ) {
        self.scheme = scheme
        self.secrets = secrets
        self.header = header
        self.algorithm = algorithm
        self.encoding = encoding
        self.prefix = prefix
        self.tolerance = tolerance
    }

    /// The lower-cased header name an `hmac` endpoint reads.
    var hmacHeaderName: String { (self.header ?? Self.defaultHMACHeader).lowercased() }

    /// Checks what can be checked before any delivery arrives, so a bad `verify` block fails at load.
    ///
    /// - Throws: `WebhookConfigurationError` naming the first problem (never quoting a secret).
    public func validate() throws(WebhookConfigurationError) {
        if self.secrets.isEmpty {
            throw WebhookConfigurationError("verify needs a secret")
        }
        if self.secrets.count > 2 {
            throw WebhookConfigurationError(
                "verify accepts at most two secrets (the current and the previous one), got \(self.secrets.count)"
            )
        }
        for (index, secret) in self.secrets.enumerated() {
            if secret.isEmpty { throw WebhookConfigurationError("secret \(index + 1) is empty") }
            if self.scheme == .standard && WebhookCrypto.standardKey(secret) == nil {
                throw WebhookConfigurationError(
                    "secret \(index + 1) is not a Standard Webhooks key: expected whsec_ followed by base64"
                )
            }
        }
        if !self.tolerance.isFinite || self.tolerance <= 0 {
            throw WebhookConfigurationError("tolerance must be a positive number of seconds")
        }
        if self.scheme == .hmac, let header = self.header, header.trimmingSpaces.isEmpty {
            throw WebhookConfigurationError("hmac header name is empty")
        }
    }
}

/// A `verify` block that cannot work, found before any delivery arrives or when signing.
public struct WebhookConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for a person; never contains a secret.
    public let description: String

    init(_ description: String) { self.description = description }
}
