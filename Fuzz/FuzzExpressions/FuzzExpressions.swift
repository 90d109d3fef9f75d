@testable import Engine
import Foundation
import FuzzSupport

// Input: a template (when it contains `{{`) or a bare expression, parsed with the standard limits and
// evaluated against a small scope. Properties: no crash, hang or unbounded allocation whatever the text;
// a parsed expression's canonical text parses again to the same canonical text.

/// What a step's expressions typically see.
let scope = ExpressionScope(
    roots: [
        "trigger": [
            "type": "webhook",
            "body": ["action": "opened", "number": 42, "labels": ["bug", "p1"], "user": ["login": "octo"]],
            "headers": ["content-type": "application/json"],
            "query": [:],
        ],
        "input": ["who": "world", "count": 3, "ratio": 0.5, "flag": true, "nothing": .null],
        "steps": ["fetch": ["output": ["status": 200, "items": [1, 2, 3]], "status": "succeeded"]],
        "item": "x",
        "index": 0,
        "run": ["id": "run_1", "workflow": "w"],
        "env": ["HOME": "/root"],
        "secrets": ["TOKEN": "s3cret"],
    ],
    now: Date(timeIntervalSince1970: 1_700_000_000)
)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput(FuzzDriver.bytes(data, size)).text
    if text.contains("{{") {
        guard let template = try? Template.parse(text) else { return 0 }
        _ = try? template.evaluate(in: scope)
        return 0
    }
    let expression: Engine.Expression
    do throws(ExpressionError) {
        expression = try Engine.Expression.parse(text)
    } catch {
        fuzzCheck(!error.message.isEmpty, "empty expression error for \(text.debugDescription)")
        return 0
    }
    _ = try? expression.evaluate(in: scope)
    let printed = expression.canonicalText
    // The canonical form adds brackets, so an expression at the depth or length limit may not re-parse.
    if let again = try? Engine.Expression.parse(printed) {
        fuzzCheck(again.canonicalText == printed, "canonical text \(printed.debugDescription) is not stable")
    }
    return 0
}

@_cdecl("FuzzExpressions_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Globals are made before fuzzing starts, so the leak check does not count them against the first input.
    _ = scope
    return FuzzDriver.run(argc, argv, fuzzOne)
}
