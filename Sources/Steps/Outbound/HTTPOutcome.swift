import Engine
import Foundation

/// How outbound steps judge what came back over HTTP, so `http_request`, `webhook` and `llm_call` fail and
/// retry the same way.
enum HTTPOutcome {
    /// The response as step output: `status`, `headers` (lower-case names; repeated fields joined by ", ")
    /// and `body` (parsed when the content type is JSON, text otherwise, base64 with `body_encoding` when
    /// the bytes are not UTF-8).
    static func output(_ response: HTTPStepResponse, includeHeaders: Bool = true) -> JSONValue {
        var fields: [String: JSONValue] = ["status": .number(Double(response.status))]
        if includeHeaders {
            var headers: [String: String] = [:]
            for header in response.headers {
                headers[header.name] = headers[header.name].map { "\($0), \(header.value)" } ?? header.value
            }
            fields["headers"] = .object(headers.mapValues { .string($0) })
        }
        let (body, encoding) = self.body(response)
        fields["body"] = body
        if let encoding { fields["body_encoding"] = .string(encoding) }
        return .object(fields)
    }

    /// The body as a value, and `"base64"` when it had to be encoded.
    static func body(_ response: HTTPStepResponse) -> (JSONValue, String?) {
        if response.body.isEmpty { return (.string(""), nil) }
        if self.isJSON(response.header("content-type")), let parsed = try? JSONValue.parse(bytes: response.body) {
            return (parsed, nil)
        }
        guard let text = String(validating: response.body, as: UTF8.self) else {
            return (.string(Data(response.body).base64EncodedString()), "base64")
        }
        return (.string(text), nil)
    }

    /// `application/json`, `application/problem+json`, `text/json`…
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        else { return false }
        return type.hasSuffix("/json") || type.hasSuffix("+json")
    }

    /// The failure for a status the step did not expect: 408, 425, 429 and 5xx may pass with time (retryable,
    /// honouring `Retry-After`); other statuses will not change by asking again.
    static func failure(
        _ response: HTTPStepResponse, label: String, expected: String, now: Date, output: JSONValue?
    ) -> StepFailure {
        let retryable = [408, 425, 429].contains(response.status) || (500...599).contains(response.status)
        let retryAfter = retryable ? RetryAfter.seconds(response.header("retry-after"), now: now) : nil
        var message = "\(label) answered \(response.status) (expected \(expected))"
        let snippet = self.snippet(response)
        if !snippet.isEmpty { message += ": \(snippet)" }
        return StepFailure(message, retryAfter: retryAfter, retryable: retryable, output: output)
    }

    /// The start of the body, on one line, for error messages.
    static func snippet(_ response: HTTPStepResponse, limit: Int = 300) -> String {
        let text = String(decoding: response.body.prefix(limit * 4), as: UTF8.self)
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }

    /// A transport error as a step failure: waiting may help a timeout or a refused connection; it cannot help
    /// an oversized body, a redirect loop, a bad request or a TLS problem.
    static func failure(_ error: TransportError) -> StepFailure {
        let retryable = [TransportError.Code.timeout, .connect, .other].contains(error.code)
        return StepFailure(error.message, retryable: retryable)
    }
}
