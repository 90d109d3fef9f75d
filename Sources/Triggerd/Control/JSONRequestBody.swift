import Engine
import Hummingbird
import NIOCore

/// A request body that must be a JSON object, with accessors whose errors name the field and what was wrong.
/// Every failure is `EngineError(.invalidInput)` (HTTP 400).
struct JSONRequestBody {
    /// The object's members; empty when the body was empty.
    let fields: [String: JSONValue]

    /// Reads the whole body of `request` as a JSON object. An empty body counts as `{}`; a member not in
    /// `allowed` is refused so that a misspelt field does not pass silently.
    static func read(
        _ request: Request,
        context: ControlRequestContext,
        allowed: [String]
    ) async throws -> JSONRequestBody {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = Array(buffer.readableBytesView)
        let body = try self.parse(bytes, allowed: allowed)
        return body
    }

    /// Parses `bytes` as a JSON object with only `allowed` members (split from `read` so it tests without HTTP).
    static func parse(_ bytes: [UInt8], allowed: [String]) throws -> JSONRequestBody {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return JSONRequestBody(fields: [:])
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes: bytes)
        } catch let error as JSONParseError {
            throw EngineError(.invalidInput, "request body is \(error.description)")
        }
        guard case .object(let fields) = value else {
            throw EngineError(.invalidInput, "request body must be a JSON object, got \(Self.article(value.typeName))")
        }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            let expected = allowed.isEmpty ? "no fields" : allowed.joined(separator: ", ")
            throw EngineError(.invalidInput, "unknown field '\(unknown)' in request body (expected: \(expected))")
        }
        return JSONRequestBody(fields: fields)
    }

    /// The string member `key`; nil when absent or null.
    func string(_ key: String) throws -> String? {
        switch self.fields[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw self.mistyped(key, expected: "a string", got: other)
        }
    }

    /// The object member `key`; nil when absent or null.
    func object(_ key: String) throws -> JSONValue? {
        switch self.fields[key] {
        case nil, .null?: return nil
        case .object(let members)?: return .object(members)
        case let other?: throw self.mistyped(key, expected: "a JSON object", got: other)
        }
    }

    /// The member `key` whatever its type; nil when absent.
    func value(_ key: String) -> JSONValue? {
        self.fields[key]
    }

    private func mistyped(_ key: String, expected: String, got value: JSONValue) -> EngineError {
        EngineError(.invalidInput, "'\(key)' in request body must be \(expected), got \(Self.article(value.typeName))")
    }

    // "a list", "an object", "null".
    private static func article(_ typeName: String) -> String {
        switch typeName {
        case "null": "null"
        case "object": "an object"
        default: "a \(typeName)"
        }
    }
}
