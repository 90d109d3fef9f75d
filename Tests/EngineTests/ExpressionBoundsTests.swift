import Testing

@testable import Engine

@Suite("Expression bounds")
struct ExpressionBoundsTests {
    private func parseFailure(_ source: String, limits: ExpressionLimits = .standard) -> ExpressionError? {
        do {
            _ = try Expression.parse(source, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func overlongSourceIsRefused() {
        let source = String(repeating: "1+", count: 6000) + "1"
        #expect(self.parseFailure(source)?.message == "expression is too long (12001 characters; limit 10000)")
    }

    @Test(arguments: ["(", "[", "!", "-", "len(", "{a: ", "x[", "true ? 1 : "])
    func deepNestingIsRefusedWithoutOverflow(_ opener: String) {
        // 100 000 levels: far beyond what the stack would survive if the parser recursed without a bound.
        let source = String(repeating: opener, count: 100_000) + "1"
        let limits = ExpressionLimits(maxSourceLength: 2_000_000)
        let error = self.parseFailure(source, limits: limits)
        #expect(error?.message == "expression nested too deeply (limit 64)")
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        // 64 levels (the documented limit) are accepted; the 65th opener is refused and pointed at.
        let atLimit = String(repeating: "(", count: 64) + "1" + String(repeating: ")", count: 64)
        #expect(try ExpressionFixture.evaluate(atLimit) == 1)
        let negations = String(repeating: "!", count: 64) + "true"
        #expect(try ExpressionFixture.evaluate(negations) == true)
        let deeper = String(repeating: "(", count: 65) + "1" + String(repeating: ")", count: 65)
        #expect(self.parseFailure(deeper)?.message == "expression nested too deeply (limit 64)")
        #expect(self.parseFailure(deeper)?.column == 65)
        let moreNegations = String(repeating: "!", count: 65) + "true"
        #expect(self.parseFailure(moreNegations)?.column == 65)
    }

    @Test func aSmallerLimitCountsTheSameWay() {
        let limits = ExpressionLimits(maxDepth: 2)
        #expect(self.parseFailure("[[1]]", limits: limits) == nil)
        #expect(self.parseFailure("len([1])", limits: limits) == nil)
        #expect(self.parseFailure("[[[1]]]", limits: limits)?.column == 3)
    }

    @Test func longOperatorChainsDoNotRecurse() throws {
        // 4 000 operands in one flat chain evaluate in a loop.
        let source = Array(repeating: "1", count: 4000).joined(separator: "+")
        #expect(try ExpressionFixture.evaluate(source) == 4000)
        let path = "trigger" + String(repeating: ".x", count: 3000)
        #expect(try ExpressionFixture.evaluate(path) == nil)
    }

    @Test func stepLimitStopsEvaluation() {
        let source = Array(repeating: "1", count: 100).joined(separator: "+")
        let error = ExpressionFixture.failure(source, limits: ExpressionLimits(maxSteps: 50))
        #expect(error?.message == "evaluation took too many steps (limit 50)")
    }

    @Test func stringConcatenationIsBounded() {
        let limits = ExpressionLimits(maxResultBytes: 100)
        let extra: [String: JSONValue] = ["big": .string(String(repeating: "a", count: 80))]
        let error = ExpressionFixture.failure("'x' + big + big", limits: limits, extra: extra)
        #expect(error?.message == "result too large (more than 100 bytes)")
        #expect(error?.column == 11)
    }

    @Test func replaceCannotExplode() {
        let text = String(repeating: "a", count: 1000)
        let extra: [String: JSONValue] = ["s": .string(text)]
        let error = ExpressionFixture.failure(
            "replace(s, 'a', s)",
            limits: ExpressionLimits(maxResultBytes: 100_000),
            extra: extra
        )
        #expect(error?.message == "replace(): result too large (more than 100000 bytes)")
    }

    @Test func totalBuiltBytesAreBounded() {
        // Each string is under the 1 000-byte limit, but twenty of them exceed the 8 000-byte total.
        let extra: [String: JSONValue] = ["s": .string(String(repeating: "a", count: 900))]
        let source = "[" + Array(repeating: "s + 'x'", count: 20).joined(separator: ", ") + "]"
        let error = ExpressionFixture.failure(source, limits: ExpressionLimits(maxResultBytes: 1000), extra: extra)
        #expect(error?.message == "evaluation built too much data (more than 8000 bytes in total)")
    }

    @Test func sharedHugeValuesCannotBeSerialisedOrCompared() {
        // One 50 000-element list referenced many times is cheap to hold (shared storage) but must not be
        // walked again and again: walking is charged against the step budget.
        let big = JSONValue.array(Array(repeating: .number(1), count: 50_000))
        let extra: [String: JSONValue] = ["big": big]
        let list = "[" + Array(repeating: "big", count: 40).joined(separator: ", ") + "]"
        #expect(
            ExpressionFixture.failure("toJson(\(list))", extra: extra)?.message
                == "evaluation took too many steps (limit 100000)"
        )
        #expect(
            ExpressionFixture.failure("\(list) == \(list)", extra: extra)?.message
                == "evaluation took too many steps (limit 100000)"
        )
        #expect(
            ExpressionFixture.failure("unique(\(list))", extra: extra)?.message
                == "evaluation took too many steps (limit 100000)"
        )
        #expect(
            ExpressionFixture.failure("1 in \(list)", extra: extra)?.message
                == "evaluation took too many steps (limit 100000)"
        )
    }

    @Test func toJsonRefusesOversizedText() {
        let extra: [String: JSONValue] = ["s": .string(String(repeating: "a", count: 2000))]
        let error = ExpressionFixture.failure(
            "toJson([s, s])",
            limits: ExpressionLimits(maxResultBytes: 3000),
            extra: extra
        )
        #expect(error?.message == "toJson(): result too large (more than 3000 bytes)")
    }

    @Test func templateInterpolationIsBounded() throws {
        let limits = ExpressionLimits(maxResultBytes: 3000)
        let scope = ExpressionFixture.scope(limits: limits, extra: ["s": .string(String(repeating: "a", count: 2000))])
        var caught: ExpressionError?
        do {
            _ = try Template.parse("{{ s }}{{ s }}", limits: limits).evaluate(in: scope)
        } catch {
            caught = error
        }
        #expect(caught?.message == "result too large (more than 3000 bytes)")
        // A single expression returns the value unchanged, without building anything.
        #expect(try Template.parse("{{ s }}", limits: limits).evaluate(in: scope).stringValue?.count == 2000)
    }

    @Test func catastrophicRegexIsAbandoned() {
        let extra: [String: JSONValue] = ["s": .string(String(repeating: "a", count: 40) + "b")]
        let error = ExpressionFixture.failure("matches(s, '^(a+)+$')", extra: extra)
        #expect(error?.message == "matches(): regular expression took too long on this input")
    }

    @Test func regexInputIsBounded() {
        let extra: [String: JSONValue] = ["s": .string(String(repeating: "a", count: 100_001))]
        #expect(
            ExpressionFixture.failure("matches(s, 'a')", extra: extra)?.message
                == "matches(): text is longer than 100000 characters"
        )
    }

    @Test func rangeIsBounded() throws {
        #expect(try ExpressionFixture.evaluate("len(range(10000))") == 10000)
        #expect(
            ExpressionFixture.failure("range(-5, 10000)")?.message == "range(): at most 10000 numbers (asked for 10005)"
        )
    }
}
