import Engine
import Foundation

extension HTTPRequestStep {
    /// The request to send and how to judge its answer, read from `with`.
    struct Plan {
        var request: HTTPStepRequest
        var expectation: StatusExpectation
    }

    /// Reads `with`, refusing (not retryable) whatever is malformed, naming the field.
    static func plan(_ with: [String: JSONValue]) throws -> Plan {
        guard let base = with["url"]?.stringValue, !base.isEmpty else {
            throw StepFailure("'with.url' must be an http:// or https:// URL", retryable: false)
        }
        let url = try URLQuery.appending(try URLQuery.pairs(with["query"], field: "query"), to: base)
        var headers = try StepFields.stringMap(with["headers"], field: "headers")
            .sorted { $0.key < $1.key }.map { HTTPHeader(name: $0.key, value: $0.value) }
        let body = try self.body(with)
        if let body, let contentType = body.contentType,
            !headers.contains(where: { $0.name.lowercased() == "content-type" })
        {
            headers.append(HTTPHeader(name: "Content-Type", value: contentType))
        }
        let method: String
        switch with["method"] ?? .null {
        case .null: method = body == nil ? "GET" : "POST"
        case .string(let text) where !text.isEmpty: method = text.uppercased()
        case let other: throw StepFailure("'with.method' must be a method such as GET, not \(other.jsonString())", retryable: false)
        }
        let followRedirects: Bool
        switch with["follow_redirects"] ?? .null {
        case .null: followRedirects = false
        case .bool(let flag): followRedirects = flag
        case let other:
            throw StepFailure("'with.follow_redirects' must be true or false, not \(other.jsonString())", retryable: false)
        }
        let request = HTTPStepRequest(
            method: method, url: url, headers: headers, body: body?.bytes,
            timeout: try StepFields.duration(with["timeout"], field: "timeout") ?? self.defaultTimeout,
            followRedirects: followRedirects,
            maxResponseBytes: try ByteCount.parse(with["max_response"], field: "max_response")
                ?? HTTPStepRequest.defaultMaxResponseBytes)
        do {
            try request.validate()
        } catch {
            throw StepFailure(error.message, retryable: false)
        }
        return Plan(request: request, expectation: try StatusExpectation.parse(with["expect_status"]))
    }

    private struct Body {
        var bytes: [UInt8]
        var contentType: String?
    }

    private static func body(_ with: [String: JSONValue]) throws -> Body? {
        let body = with["body"] ?? .null
        let form = with["form"] ?? .null
        guard body == .null || form == .null else {
            throw StepFailure("give 'with.body' or 'with.form', not both", retryable: false)
        }
        if form != .null {
            guard case .object = form else {
                throw StepFailure("'with.form' must be an object of field names to values", retryable: false)
            }
            let encoded = URLQuery.encode(try URLQuery.pairs(form, field: "form"))
            return Body(bytes: Array(encoded.utf8), contentType: "application/x-www-form-urlencoded")
        }
        switch body {
        case .null: return nil
        case .string(let text): return Body(bytes: Array(text.utf8), contentType: "text/plain; charset=utf-8")
        case let value: return Body(bytes: Array(value.jsonString().utf8), contentType: "application/json")
        }
    }
}
