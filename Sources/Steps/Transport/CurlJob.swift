/// One transfer handed from a calling task to the transport's I/O thread.
struct CurlJob: Sendable {
    /// What to transfer.
    enum Kind: Sendable {
        case http(HTTPStepRequest)
        case stream(HTTPStepRequest, onChunk: @Sendable ([UInt8]) -> Void)
        case mail(MailMessage, SMTPSettings)

        /// How errors name this transfer: `GET https://host/path` or `SMTP smtp://host:25`.
        var label: String {
            switch self {
            case .http(let request), .stream(let request, _): request.label
            case .mail(_, let settings): settings.label
            }
        }
    }

    /// What a finished transfer produced; mapped to the public response types by the caller.
    struct Outcome: Sendable {
        var status: Int
        var headers: [HTTPHeader]
        var body: [UInt8]
        var effectiveURL: String?
    }

    let id: UInt64
    let kind: Kind
    /// Resumed exactly once, on the I/O thread, when the transfer ends, fails or is cancelled.
    let continuation: CheckedContinuation<Outcome, any Error>
}
