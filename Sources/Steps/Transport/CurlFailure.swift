import Engine

/// A failed transfer as libcurl reported it, turned into a `TransportError` whose message says what
/// happened in the request's own terms (its limits, its URL) followed by libcurl's detail.
struct CurlFailure {
    /// What libcurl's result code means for the caller.
    enum Reason {
        case timedOut, couldNotConnect, tls, bodyTooLarge, tooManyRedirects, loginDenied, starttlsRefused
        case badRequest, other
    }

    var reason: Reason
    /// libcurl's generic text for the code, e.g. "Timeout was reached".
    var summary: String
    /// libcurl's specific text from the error buffer, possibly empty.
    var detail: String
    /// The last HTTP status or SMTP reply code seen, 0 if none.
    var lastResponseCode: Int

    func error(for kind: CurlJob.Kind) -> TransportError {
        let explanation = self.detail.isEmpty ? self.summary : self.detail
        let code: TransportError.Code
        let what: String
        switch self.reason {
        case .timedOut:
            code = .timeout
            what = "timed out (\(Self.limits(of: kind))): \(explanation)"
        case .couldNotConnect:
            code = .connect
            what = "could not connect: \(explanation)"
        case .tls:
            code = .tls
            what = "TLS failed: \(explanation)"
        case .bodyTooLarge:
            code = .tooLarge
            let limit = if case .http(let request) = kind { request.maxResponseBytes } else { 0 }
            what = "the response is larger than max_response (\(limit) bytes); transfer aborted"
        case .tooManyRedirects:
            code = .tooManyRedirects
            what = "more than \(HTTPStepRequest.maxRedirects) redirects, probably a redirect loop"
        case .loginDenied:
            code = .other
            what = "the server refused the login (check username and password): \(explanation)"
        case .starttlsRefused:
            code = .tls
            what = "the server does not offer STARTTLS and starttls is 'always': \(explanation)"
        case .badRequest:
            code = .invalidRequest
            what = explanation
        case .other:
            code = .other
            what = explanation
        }
        let reply =
            if case .mail = kind, self.lastResponseCode > 0 { " (last SMTP reply \(self.lastResponseCode))" } else {
                ""
            }
        return TransportError(code, "\(kind.label): \(what)\(reply)")
    }

    private static func limits(of kind: CurlJob.Kind) -> String {
        let (total, connect) =
            switch kind {
            case .http(let request), .stream(let request, _): (request.timeout, request.connectTimeout)
            case .mail(_, let settings): (settings.timeout, settings.connectTimeout)
            }
        let totalText = total > 0 ? DurationText.format(total) : "none"
        return "timeout \(totalText), connect timeout \(DurationText.format(connect))"
    }
}
