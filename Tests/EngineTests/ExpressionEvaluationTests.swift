import Testing

@testable import Engine

@Suite("Expression evaluation")
struct ExpressionEvaluationTests {
    static let literals: [ExpressionCase] = [
        .init("1", 1),
        .init("1.5", 1.5),
        .init("1e3", 1000),
        .init("2.5e-1", 0.25),
        .init("007", 7),
        .init("'a'", "a"),
        .init("\"b\"", "b"),
        .init("'it\\'s'", "it's"),
        .init("\"say \\\"hi\\\"\"", "say \"hi\""),
        .init("'a\\nb\\tc'", "a\nb\tc"),
        .init("'back\\\\slash'", "back\\slash"),
        .init("'\\u00e9'", "é"),
        .init("'\\u{1F600}'", "😀"),
        .init("'\\uD83D\\uDE00'", "😀"),
        .init("'double \" inside single'", "double \" inside single"),
        .init("true", true),
        .init("false", false),
        .init("null", nil),
        .init("[1, 'a', null]", [1, "a", nil]),
        .init("[]", []),
        .init("[1, 2,]", [1, 2]),
        .init("{a: 1, 'b-c': 2}", ["a": 1, "b-c": 2]),
        .init("{}", [:]),
        .init("{'x': [1, {y: true}]}", ["x": [1, ["y": true]]]),
        .init("{null: 1, in: 2}", ["null": 1, "in": 2]),
        .init(" 1 +\n 2 ", 3),
    ]

    static let arithmetic: [ExpressionCase] = [
        .init("1 + 2 * 3", 7),
        .init("(1 + 2) * 3", 9),
        .init("10 - 4 - 3", 3),
        .init("100 / 10 / 5", 2),
        .init("7 % 4", 3),
        .init("-7 % 4", -3),
        .init("7.5 % 2", 1.5),
        .init("2 * -3", -6),
        .init("-(2 + 3)", -5),
        .init("- -2", 2),
        .init("1 + 2 * 3 - 4 / 2", 5),
        .init("0.1 + 0.2", 0.30000000000000004),
        .init("7 / 2", 3.5),
        .init("2 * 3 % 4", 2),
        .init("-index", -2),
        .init("trigger.body.count * trigger.body.ratio", 1.5),
    ]

    static let strings: [ExpressionCase] = [
        .init("'a' + 'b'", "ab"),
        .init("'n=' + 2", "n=2"),
        .init("2 + 'x'", "2x"),
        .init("'v' + true", "vtrue"),
        .init("'a' + 1 + 2", "a12"),
        .init("1 + 2 + 'a'", "3a"),
        .init("'x' + 1.5", "x1.5"),
        .init("[1] + [2, 3]", [1, 2, 3]),
        .init("{a: 1} + {a: 2, b: 3}", ["a": 2, "b": 3]),
        .init("'#' + trigger.body.issue.number + ': ' + trigger.body.issue.title", "#42: Crash on start"),
    ]

    static let comparisons: [ExpressionCase] = [
        .init("2 < 10", true),
        .init("'2' < '10'", false),
        .init("'abc' < 'abd'", true),
        .init("3 >= 3", true),
        .init("3 > 3", false),
        .init("'b' <= 'a'", false),
        .init("1 == 1.0", true),
        .init("1 == '1'", false),
        .init("null == null", true),
        .init("[1, 2] == [1, 2]", true),
        .init("[1, 2] == [2, 1]", false),
        .init("{a: 1} == {a: 1}", true),
        .init("{a: 1} != {a: 2}", true),
        .init("trigger.body.missing == null", true),
        .init("true != false", true),
        .init("'' == null", false),
        .init("0 == false", false),
        .init("1 < 2 == true", true),
        .init("1 + 2 == 3", true),
        .init("trigger.headers['x-github-event'] == 'issues'", true),
    ]

    static let logic: [ExpressionCase] = [
        .init("true && 'x'", "x"),
        .init("0 && 'x'", 0),
        .init("null || 'fallback'", "fallback"),
        .init("'a' || 'b'", "a"),
        .init("'' || 0 || 'z'", "z"),
        .init("false || null", nil),
        .init("!true", false),
        .init("!0", true),
        .init("!''", true),
        .init("![]", true),
        .init("!{}", true),
        .init("!!'x'", true),
        .init("true || 1 / 0", true),
        .init("false && 1 / 0", false),
        .init("1 ?? 1 / 0", 1),
        .init("true || false && false", true),
        .init("(true || false) && false", false),
        .init("null ?? 'd'", "d"),
        .init("0 ?? 'd'", 0),
        .init("'' ?? 'd'", ""),
        .init("trigger.body.missing ?? trigger.body.nothing ?? 3", 3),
        .init("null || false ?? 'x'", false),
        .init("true ? 1 : 2", 1),
        .init("0 ? 1 : 2", 2),
        .init("1 > 2 ? 'a' : 2 > 1 ? 'b' : 'c'", "b"),
        .init("true ? false ? 1 : 2 : 3", 2),
        .init("null ?? false ? 'y' : 'n'", "n"),
        .init("trigger.body.tags ? 'has tags' : 'no tags'", "no tags"),
        .init("2 in [1, 2, 3]", true),
        .init("'x' in ['a']", false),
        .init("'ell' in 'hello'", true),
        .init("'issue' in trigger.body", true),
        .init("'zzz' in trigger.body", false),
        .init("1 in trigger.body.missing", false),
        .init("[1] in [[1], 2]", true),
        .init("1 + 1 in [2]", true),
        .init("!(1 in [2])", true),
        .init("'bug' in trigger.body.issue.labels && trigger.body.action == 'opened'", true),
    ]

    static let paths: [ExpressionCase] = [
        .init("trigger.body.issue.number", 42),
        .init("trigger.body.issue.labels[0]", "bug"),
        .init("trigger.body.issue.labels[-1]", "p1"),
        .init("trigger.body.issue.labels[5]", nil),
        .init("trigger.body.issue.labels[-3]", nil),
        .init("trigger.headers['x-github-event']", "issues"),
        .init("trigger.headers[\"content-type\"]", "application/json"),
        .init("trigger.body.missing.deeper", nil),
        .init("trigger.body.issue.number.deeper", nil),
        .init("trigger.body.nothing.x", nil),
        .init("trigger.body['iss' + 'ue'].title", "Crash on start"),
        .init("steps.fetch.output.body.items[index]", 3),
        .init("steps['fetch'].status", "succeeded"),
        .init("item.name", "seven"),
        .init("index + 1", 3),
        .init("secrets.API_KEY", "s3cret"),
        .init("'abc'[1]", "b"),
        .init("'abc'[-1]", "c"),
        .init("'abc'[3]", nil),
        .init("[10, 20, 30][1]", 20),
        .init("{a: {b: 5}}.a.b", 5),
        .init("input.names", ["b", "a", "c"]),
        .init("trigger.body.issue.labels[0][0]", "b"),
        .init("trigger.body.tags[0]", nil),
        .init("null[0]", nil),
        .init("trigger.body.in", nil),
        .init("trigger.body.count[0]", nil),
        .init("trigger", ExpressionFixture.roots["trigger"] ?? .null),
    ]

    @Test(arguments: literals + arithmetic + strings)
    func literalsAndArithmetic(_ row: ExpressionCase) throws {
        #expect(try ExpressionFixture.evaluate(row.source) == row.expected)
    }

    @Test(arguments: comparisons + logic)
    func comparisonsAndLogic(_ row: ExpressionCase) throws {
        #expect(try ExpressionFixture.evaluate(row.source) == row.expected)
    }

    @Test(arguments: paths)
    func pathsAndMissingMembers(_ row: ExpressionCase) throws {
        #expect(try ExpressionFixture.evaluate(row.source) == row.expected)
    }

    @Test func referencesAreCollected() throws {
        let expression = try Expression.parse(
            "steps.fetch.output.x + steps['summarize'].output + secrets.API_KEY + secrets['OTHER'] + len(trigger.body) + steps[input.id]"
        )
        #expect(expression.referencedStepIDs == ["fetch", "summarize"])
        #expect(expression.referencedSecrets == ["API_KEY", "OTHER"])
        #expect(expression.referencedRoots == ["steps", "secrets", "trigger", "input"])
        #expect(expression.referencedFunctions == ["len"])
    }

    @Test func unusedRootsMayBeAbsent() throws {
        // Only the names an expression actually reads must exist in the scope.
        let value = try Expression.parse("true || missingRoot").evaluate(in: ExpressionScope())
        #expect(value == true)
    }
}
