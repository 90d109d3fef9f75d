/// Replaces secret values with `***` in everything that leaves a step: outputs, errors, events, logs.
public struct Redactor: Sendable {
    /// Secret values, longest first so a secret containing another is masked whole.
    private let values: [String]

    /// Values shorter than 3 characters are not masked: they would mask ordinary text everywhere.
    public init(secrets: some Sequence<String>) {
        self.values = Set(secrets).filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    public var isEmpty: Bool { self.values.isEmpty }

    public func redact(_ text: String) -> String {
        guard !self.values.isEmpty else { return text }
        var out = text
        for value in self.values where out.contains(value) {
            out = out.replacingAll(value, with: "***")
        }
        return out
    }

    public func redact(_ value: JSONValue) -> JSONValue {
        guard !self.values.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(self.redact(s))
        case .array(let a): return .array(a.map { self.redact($0) })
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, v) in o { out[self.redact(k)] = self.redact(v) }
            return .object(out)
        default: return value
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

public import Foundation
