import Engine
import Foundation
import Logging
import Steps
import Testing

/// Building step requests and reading outcomes in tests.
enum StepTesting {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    static func request(
        _ type: String, _ with: [String: JSONValue], step: String = "s1", run: String = "run-1", attempt: Int = 1,
        index: Int? = nil
    ) -> StepRequest {
        var roots: [String: JSONValue] = [:]
        if let index { roots["index"] = .number(Double(index)) }
        return StepRequest(
            step: StepDefinition(id: step, type: type), with: with, runID: run, workflow: "wf", attempt: attempt,
            scope: ExpressionScope(roots: roots, now: self.now), now: self.now, logger: Logger(label: "test"))
    }

    /// The output of a completed outcome; records an issue otherwise.
    static func output(_ outcome: StepOutcome) throws -> JSONValue {
        guard case .completed(let output) = outcome else {
            Issue.record("expected a completed outcome, got \(outcome)")
            throw StepTestFailure.notCompleted
        }
        return output
    }

    /// The failure an attempt threw; records an issue when it succeeded or threw something else.
    static func failure(_ body: () async throws -> StepOutcome) async -> StepFailure? {
        do {
            let outcome = try await body()
            Issue.record("expected a StepFailure, got \(outcome)")
        } catch let failure as StepFailure {
            return failure
        } catch {
            Issue.record("expected a StepFailure, got \(error)")
        }
        return nil
    }

    /// GET `url` and parse the JSON answer (the fixtures' inspection endpoints).
    static func getJSON(_ url: String, via transport: any HTTPTransport) async throws -> JSONValue {
        let response = try await transport.send(HTTPStepRequest(url: url))
        return try JSONValue.parse(bytes: response.body)
    }

    /// POST a JSON value to `url` (the fixtures' control endpoints).
    static func postJSON(_ url: String, _ value: JSONValue, via transport: any HTTPTransport) async throws {
        let response = try await transport.send(
            HTTPStepRequest(
                method: "POST", url: url, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
                body: Array(value.jsonString().utf8)))
        #expect(response.status == 200)
    }
}

enum StepTestFailure: Error { case notCompleted }
