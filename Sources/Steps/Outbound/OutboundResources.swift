/// What the outbound steps share: the transports they send through and the token meter.
///
/// The daemon makes one and keeps it to export metrics; tests pass fakes or a `CurlTransport` of their own.
public struct OutboundResources: Sendable {
    public var http: any HTTPTransport
    public var mail: any MailTransport
    public var usage: LLMUsageMeter

    /// Uses one libcurl transport (started on first use) for HTTP and mail, and a fresh meter.
    public init() {
        let transport = LazyCurlTransport()
        self.init(http: transport, mail: transport, usage: LLMUsageMeter())
    }

    public init(http: any HTTPTransport, mail: any MailTransport, usage: LLMUsageMeter = LLMUsageMeter()) {
        self.http = http
        self.mail = mail
        self.usage = usage
    }
}
