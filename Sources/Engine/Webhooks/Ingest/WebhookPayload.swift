import Foundation

/// Turns a request into the `trigger` root of SPEC §4: `body`, `raw_body`, `headers`, `query`, `path`,
/// `delivery_id` (plus `type`, `method`).
enum WebhookPayload {
    /// How `trigger.body` is derived from the bytes.
    enum BodyKind: Equatable {
        /// `application/json`, `text/json` or any `+json` type: parsed JSON.
        case json
        /// `application/x-www-form-urlencoded`: an object of fields.
        case form
        /// Anything else: the text.
        case text
    }

    /// The media type of a `Content-Type` value: lower-cased, parameters dropped.
    static func mediaType(_ contentType: String?) -> String {
        guard let contentType else { return "" }
        let base = contentType.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false)
            .first ?? []
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let trimmed = base.drop(while: blank).reversed().drop(while: blank).reversed()
        return String(decoding: trimmed, as: UTF8.self).lowercased()
    }

    static func bodyKind(contentType: String?) -> BodyKind {
        let media = self.mediaType(contentType)
        if media == "application/json" || media == "text/json" || media.hasSuffix("+json") { return .json }
        if media == "application/x-www-form-urlencoded" { return .form }
        return .text
    }

    /// `trigger.body`. A JSON content type whose bytes are not JSON yields the text, or a 400 when the workflow
    /// reads `trigger.body` (its expressions would otherwise see a string where they expect fields).
    static func body(_ bytes: [UInt8], kind: BodyKind, readsBody: Bool) -> Result<JSONValue, BodyRefusal> {
        switch kind {
        case .json:
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .success(.null) }
            do {
                return .success(try JSONValue.parse(bytes: bytes))
            } catch {
                guard readsBody else { return .success(.string(String(decoding: bytes, as: UTF8.self))) }
                return .failure(
                    BodyRefusal(
                        answer: .error(
                            400, code: "invalid_input",
                            "the body is not valid JSON (\(error)) but the Content-Type says JSON and the workflow reads trigger.body",
                            outcome: "invalid")))
            }
        case .form:
            return .success(.object(self.formFields(String(decoding: bytes, as: UTF8.self))))
        case .text:
            return .success(.string(String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// A body the workflow cannot use, with the answer that says why.
    struct BodyRefusal: Error {
        let answer: WebhookAnswer
    }

    /// Fields of `a=1&b=x+y&c=%2F`: `+` is a space, `%XX` is decoded; a repeated name becomes a list in order.
    static func formFields(_ text: String) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = self.formDecode(parts[0])
            let value = JSONValue.string(parts.count > 1 ? self.formDecode(parts[1]) : "")
            switch fields[name] {
            case nil: fields[name] = value
            case .array(let list)?: fields[name] = .array(list + [value])
            case let first?: fields[name] = .array([first, value])
            }
        }
        return fields
    }

    /// Decodes one form component; an invalid `%` escape keeps the text as sent.
    static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The `trigger` root a run (or emitted event) sees.
    static func trigger(
        _ request: WebhookRequest,
        body: JSONValue,
        headers: [String: String],
        deliveryID: String
    ) -> [String: JSONValue] {
        [
            "type": "webhook",
            "method": .string(request.method),
            "path": .string(request.path),
            "body": body,
            "raw_body": .string(String(decoding: request.body, as: UTF8.self)),
            "headers": .object(headers.mapValues { .string($0) }),
            "query": .object(request.query.mapValues { .string($0) }),
            "delivery_id": .string(deliveryID),
        ]
    }
}
