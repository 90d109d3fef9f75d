import Foundation
import Testing

@testable import Engine

/// The scope most expression tests evaluate in: a webhook run at 2024-05-01T12:00:00Z.
enum ExpressionFixture {
    static let now = Date(timeIntervalSince1970: 1_714_564_800)

    static let roots: [String: JSONValue] = [
        "trigger": [
            "type": "webhook",
            "body": [
                "issue": ["number": 42, "title": "Crash on start", "labels": ["bug", "p1"]],
                "action": "opened",
                "count": 3,
                "ratio": 0.5,
                "flag": true,
                "nothing": nil,
                "tags": [],
                "empty": "",
            ],
            "headers": ["x-github-event": "issues", "content-type": "application/json"],
            "query": [:],
        ],
        "input": ["repo": "acme/widgets", "limit": 10, "names": ["b", "a", "c"]],
        "steps": [
            "fetch": ["output": ["status": 200, "body": ["items": [1, 2, 3]]], "status": "succeeded"]
        ],
        "item": ["id": 7, "name": "seven"],
        "index": 2,
        "secrets": ["API_KEY": "s3cret"],
        "env": ["HOME": "/root"],
        "run": ["id": "run-1", "workflow": "wf", "started_at": "2024-05-01T12:00:00Z"],
    ]

    static func scope(limits: ExpressionLimits = .standard, extra: [String: JSONValue] = [:]) -> ExpressionScope {
        ExpressionScope(roots: self.roots.merging(extra) { _, new in new }, now: self.now, limits: limits)
    }

    /// Parses and evaluates in the fixture scope.
    static func evaluate(_ source: String, limits: ExpressionLimits = .standard, extra: [String: JSONValue] = [:])
        throws -> JSONValue
    {
        try Expression.parse(source, limits: limits).evaluate(in: self.scope(limits: limits, extra: extra))
    }

    /// The error description from parsing or evaluating, or `nil` when it succeeds.
    static func failure(_ source: String, limits: ExpressionLimits = .standard, extra: [String: JSONValue] = [:])
        -> ExpressionError?
    {
        do {
            _ = try Expression.parse(source, limits: limits).evaluate(in: self.scope(limits: limits, extra: extra))
            return nil
        } catch {
            return error
        }
    }
}

/// One row of a table: an expression and the value it must produce.
struct ExpressionCase: Sendable, CustomTestStringConvertible {
    let source: String
    let expected: JSONValue
    init(_ source: String, _ expected: JSONValue) {
        self.source = source
        self.expected = expected
    }
    var testDescription: String { self.source }
}

/// One row of an error table: an expression and the exact description of its error.
struct ExpressionFailureCase: Sendable, CustomTestStringConvertible {
    let source: String
    let message: String
    init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }
    var testDescription: String { self.source }
}

/// The engine's SplitMix64 with a constant seed, so property tests are reproducible.
typealias SeededGenerator = SplitMix64
