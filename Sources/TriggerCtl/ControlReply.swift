import Engine
import Foundation

/// The daemon's answer to a `ControlRequest`: a status code and a JSON body.
struct ControlReply: Equatable, Sendable {
    /// The HTTP status code.
    var status: Int
    /// The raw body bytes.
    var body: [UInt8]

    init(status: Int, body: [UInt8] = []) {
        self.status = status
        self.body = body
    }

    /// A reply whose body is `value` as JSON; for fakes in tests.
    init(status: Int, json value: JSONValue) {
        self.init(status: status, body: Array(value.jsonString().utf8))
    }

    /// True for 2xx.
    var isSuccess: Bool { (200..<300).contains(self.status) }

    /// The body as JSON when the answer is a success.
    ///
    /// - Throws: `CtlFailure` with exit code 1 for a 4xx/5xx answer, carrying the daemon's own
    ///   `{"error": {"message"}}` text, or for a success whose body is not JSON.
    func json() throws(CtlFailure) -> JSONValue {
        guard self.isSuccess else { throw self.failure }
        if self.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .null }
        do {
            return try JSONValue.parse(bytes: self.body)
        } catch {
            throw CtlFailure.failed("the daemon answered HTTP \(self.status) with a body that is not JSON: \(error)")
        }
    }

    /// The message of a `{"error": {"code", "message"}}` body, if the body is one.
    var errorMessage: String? {
        guard let value = try? JSONValue.parse(bytes: self.body) else { return nil }
        return value["error"]?["message"]?.stringValue ?? value["error"]?.stringValue
    }

    /// True when the answer is a 404 from a route the daemon does not have (no JSON error body), as
    /// opposed to a 404 about a missing run or workflow; lets a command fall back for older daemons.
    var isMissingRoute: Bool { self.status == 404 && self.errorMessage == nil }

    /// What a failed answer means, for the exit code and stderr.
    var failure: CtlFailure {
        if let message = self.errorMessage { return .failed(message) }
        let text = String(decoding: self.body.prefix(300), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return .failed(
            text.isEmpty
                ? "the daemon answered HTTP \(self.status)" : "the daemon answered HTTP \(self.status): \(text)"
        )
    }
}
