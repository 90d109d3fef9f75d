public import Engine
import Foundation
import Logging

/// `http_request`: one HTTP exchange through libcurl (SPEC §6).
///
/// `with`: `url` (required), `method` (default GET, or POST when there is a `body` or `form`), `headers`,
/// `query` (an object appended to the URL, percent-encoded), `body` (an object or list is sent as JSON, a
/// string as is), `form` (an object sent as `application/x-www-form-urlencoded`), `timeout` (default 30s),
/// `follow_redirects` (default false), `expect_status` (default 200–299) and `max_response` (default 10 MiB).
///
/// Output: `status`, `headers`, `body` (parsed when the response is JSON). A status outside `expect_status`
/// fails the attempt, keeping that output: 408, 425, 429 and 5xx may be retried (after `Retry-After` when
/// the server sends one), other statuses are final. Request headers are never echoed into output or errors.
public struct HTTPRequestStep: StepExecutor {
    public let kind = "http_request"
    /// The default total time for one exchange.
    public static let defaultTimeout = 30.0
    let transport: any HTTPTransport

    public init(transport: any HTTPTransport) {
        self.transport = transport
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        let plan = try Self.plan(request.with)
        var logger = request.logger
        logger[metadataKey: LogKey.stepKind] = "\(self.kind)"
        logger[metadataKey: LogKey.httpRequest] = "\(plan.request.label)"
        let response: HTTPStepResponse
        do {
            response = try await self.transport.send(plan.request)
        } catch let error as TransportError {
            logger.debug("HTTP request failed", metadata: [LogKey.error: "\(error.message)"])
            throw HTTPOutcome.failure(error)
        }
        logger.debug("HTTP request answered", metadata: [LogKey.httpStatus: "\(response.status)"])
        let output = HTTPOutcome.output(response)
        guard plan.expectation.accepts(response.status) else {
            throw HTTPOutcome.failure(
                response, label: plan.request.label, expected: plan.expectation.description, now: request.now,
                output: output)
        }
        return .completed(output)
    }
}
