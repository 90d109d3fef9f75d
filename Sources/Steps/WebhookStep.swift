public import Engine
import Foundation
import Logging

/// `webhook`: POSTs `payload` as JSON, signed with Standard Webhooks headers (SPEC §6).
///
/// `with`: `url`, `payload` (any value; default `{}`), `secret` (`whsec_<base64>`; without it the request
/// carries `webhook-id` and `webhook-timestamp` but no signature), `headers`, `timeout` (default 30s).
/// `webhook-id` is derived from the run, the step and the `for_each` index, so it stays the same across
/// retries and receivers can drop duplicates; `webhook-timestamp` is the time of each attempt.
///
/// A 2xx answer completes the step with `status` and `body`. 410 Gone means the receiver does not want
/// this any more: the step fails without retrying. Any other answer fails the attempt as retryable, so
/// the step's `retry:` policy (backoff) applies, after `Retry-After` when the receiver sends one.
public struct WebhookStep: StepExecutor {
    public let kind = "webhook"
    public static let defaultTimeout = 30.0
    let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    /// The `webhook-id` of a request: `msg_` and the delivery key.
    static func messageID(_ request: StepRequest) -> String { "msg_" + DeliveryKey.make(request) }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let url = request.with["url"]?.stringValue, !url.isEmpty else {
            throw StepFailure("'with.url' must be an http:// or https:// URL", retryable: false)
        }
        let body = Array((request.with["payload"] ?? .object([:])).jsonString().utf8)
        let id = Self.messageID(request)
        var headers = try StepFields.stringMap(request.with["headers"], field: "headers")
            .sorted { $0.key < $1.key }.map { HTTPHeader(name: $0.key, value: $0.value) }
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
        }
        switch request.with["secret"] ?? .null {
        case .null:
            headers.append(HTTPHeader(name: "webhook-id", value: id))
            headers.append(HTTPHeader(name: "webhook-timestamp", value: String(Int64(request.now.timeIntervalSince1970))))
        case .string(let secret):
            do {
                let signed = try WebhookSigner.sign(scheme: .standard, secret: secret, body: body, timestamp: request.now, id: id)
                headers += signed.map { HTTPHeader(name: $0.name, value: $0.value) }
            } catch {
                // The signer's message names what is wrong with the secret, never the secret itself.
                throw StepFailure("'with.secret': \(error)", retryable: false)
            }
        case let other:
            throw StepFailure("'with.secret' must be a string (whsec_…), not \(other.typeName)", retryable: false)
        }
        let httpRequest = HTTPStepRequest(
            method: "POST", url: url, headers: headers, body: body,
            timeout: try StepFields.duration(request.with["timeout"], field: "timeout") ?? Self.defaultTimeout)
        do {
            try httpRequest.validate()
        } catch {
            throw StepFailure(error.message, retryable: false)
        }
        var logger = request.logger
        logger[metadataKey: LogKey.stepKind] = "\(self.kind)"
        logger[metadataKey: LogKey.httpRequest] = "\(httpRequest.label)"
        let response: HTTPStepResponse
        do {
            response = try await self.transport.send(httpRequest)
        } catch let error as TransportError {
            throw HTTPOutcome.failure(error)
        }
        logger.debug("Webhook delivered", metadata: [LogKey.httpStatus: "\(response.status)"])
        let output = HTTPOutcome.output(response, includeHeaders: false)
        if (200...299).contains(response.status) { return .completed(output) }
        var failure = HTTPOutcome.failure(
            response, label: httpRequest.label, expected: "2xx", now: request.now, output: output)
        if response.status == 410 {
            failure.retryable = false
            failure.message += " (410 Gone: the receiver asks not to be sent this again)"
        } else {
            failure.retryable = true
            failure.retryAfter = RetryAfter.seconds(response.header("retry-after"), now: request.now)
        }
        throw failure
    }
}
