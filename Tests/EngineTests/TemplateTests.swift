import Testing

@testable import Engine

@Suite("Templates")
struct TemplateTests {
    static let cases: [ExpressionCase] = [
        .init("plain text", "plain text"),
        .init("", ""),
        .init("{{ trigger.body.count }}", 3),
        .init("  {{ trigger.body.flag }}\n", true),
        .init("{{ trigger.body.issue.labels }}", ["bug", "p1"]),
        .init("{{ trigger.body.missing }}", nil),
        .init("{{trigger.body.count}}", 3),
        .init("Issue #{{ trigger.body.issue.number }}", "Issue #42"),
        .init("{{ 1 }}{{ 2 }}", "12"),
        .init("{{ trigger.body.count }} items", "3 items"),
        .init("labels: {{ trigger.body.issue.labels }}", "labels: [\"bug\",\"p1\"]"),
        .init("x{{ trigger.body.missing }}y", "xy"),
        .init("{{ {a: 1} }}", ["a": 1]),
        .init("{{ {a: {b: 1}} }}", ["a": ["b": 1]]),
        .init("{{ {a:1}}}", ["a": 1]),
        .init("{{ '}}' }}", "}}"),
        .init("{{ '{{' }} literal", "{{ literal"),
        .init("a }} b", "a }} b"),
        .init("{ {{ 1 + 1 }} }", "{ 2 }"),
        .init("{{ \"it's\" }}", "it's"),
        .init("{{ 'a\\'}}b' }}", "a'}}b"),
        .init(
            "https://api.example.com/issues/{{ trigger.body.issue.number }}?q={{ urlEncode('a b') }}",
            "https://api.example.com/issues/42?q=a%20b"
        ),
        .init("{{ trigger.body.ratio }}/{{ trigger.body.flag }}", "0.5/true"),
        .init("é{{ 'ü' }}😀", "éü😀"),
    ]

    @Test(arguments: cases)
    func templatesEvaluate(_ row: ExpressionCase) throws {
        let template = try Template.parse(row.source)
        #expect(try template.evaluate(in: ExpressionFixture.scope()) == row.expected)
    }

    @Test func literalTemplatesHaveNoExpressions() throws {
        let literal = try Template.parse("just text { not } an expression")
        #expect(literal.isLiteral)
        #expect(literal.expressions.isEmpty)
        let mixed = try Template.parse("{{ a }} and {{ b.c }}")
        #expect(!mixed.isLiteral)
        #expect(mixed.expressions.map(\.text) == ["a", "b.c"])
    }

    @Test func templateErrorsCarryOffsetsInTheWholeString() {
        // "Hello {{ " is 9 characters; the '/' is 2 further into the expression.
        var caught: ExpressionError?
        do {
            _ = try Template.parse("Hello {{ 1 / 0 }}").evaluate(in: ExpressionFixture.scope())
        } catch {
            caught = error
        }
        #expect(caught?.offset == 11)
        #expect(caught?.column == 3)
        #expect(caught?.description == "in expression '1 / 0': division by zero at column 3")
    }

    @Test func offsetsCountCharactersNotBytes() {
        var caught: ExpressionError?
        do {
            _ = try Template.parse("ééé {{ 1 + }}")
        } catch {
            caught = error
        }
        // 'ééé {{ ' is 7 scalars; the missing value is at the end of "1 +" (3 more).
        #expect(caught?.offset == 10)
        #expect(caught?.description == "in expression '1 +': expected a value at column 4")
    }

    @Test(arguments: [
        ("a {{ b", "in template 'a {{ b': unclosed '{{' (expected '}}') at column 3", 2),
        ("{{ 'abc }}", "in template '{{ 'abc }}': unterminated string (missing closing ') at column 4", 3),
        ("ok {{ }}", "in expression '': empty expression at column 1", 6),
        (
            "{{ 1 }} {{ lenn(1) }}",
            "in expression 'lenn(1)': unknown function 'lenn' (did you mean 'len'?) at column 1", 11
        ),
        ("{{ {a: 1 }}", "in template '{{ {a: 1 }}': unclosed '{{' (expected '}}') at column 1", 0),
    ])
    func templateParseErrors(_ text: String, _ message: String, _ offset: Int) {
        var caught: ExpressionError?
        do {
            _ = try Template.parse(text)
        } catch {
            caught = error
        }
        #expect(caught?.description == message)
        #expect(caught?.offset == offset)
    }

    @Test func templatedValuesCompileAndEvaluate() throws {
        let with: JSONValue = [
            "method": "POST",
            "url": "https://api.example.com/issues/{{ trigger.body.issue.number }}",
            "body": [
                "text": "{{ upper(trigger.body.action) }}", "count": "{{ trigger.body.count }}", "fixed": [1, "two"],
            ],
            "list": ["{{ index }}", "static"],
        ]
        let compiled = try TemplatedValue.compile(with)
        // In key order: body.count, body.text, list[0], url.
        #expect(
            compiled.expressions.map(\.text) == [
                "trigger.body.count", "upper(trigger.body.action)", "index", "trigger.body.issue.number",
            ]
        )
        let value = try compiled.evaluate(in: ExpressionFixture.scope())
        #expect(
            value == [
                "method": "POST",
                "url": "https://api.example.com/issues/42",
                "body": ["text": "OPENED", "count": 3, "fixed": [1, "two"]],
                "list": [2, "static"],
            ]
        )
    }

    @Test func templatedValuesWithoutTemplatesStayLiteral() throws {
        let plain: JSONValue = ["a": [1, "b", ["c": nil]]]
        #expect(try TemplatedValue.compile(plain) == .literal(plain))
        #expect(try TemplatedValue.compile(plain).expressions.isEmpty)
    }

    @Test func templatedValueErrorsCarryThePath() {
        let with: JSONValue = ["body": ["items": ["ok", "{{ 1 + }}"]]]
        var compileError: ExpressionError?
        do {
            _ = try TemplatedValue.compile(with)
        } catch {
            compileError = error
        }
        #expect(compileError?.path == ["body", "items", "1"])
        #expect(compileError?.offset == 6)

        var evaluationError: ExpressionError?
        do {
            _ = try TemplatedValue.compile(["headers": ["x": "{{ 1 / 0 }}"]]).evaluate(in: ExpressionFixture.scope())
        } catch {
            evaluationError = error
        }
        #expect(evaluationError?.path == ["headers", "x"])
        #expect(evaluationError?.message == "division by zero")
    }

    @Test func templatedValuesShareOneStepBudget() throws {
        // Each template alone takes 21 steps (a chain and 20 literals), within 30; two together do not fit.
        let limits = ExpressionLimits(maxSteps: 30)
        let scope = ExpressionFixture.scope(limits: limits)
        let one = "{{ " + Array(repeating: "1", count: 20).joined(separator: "+") + " }}"
        #expect(try Template.parse(one).evaluate(in: scope) == 20)
        let compiled = try TemplatedValue.compile(["a": .string(one), "b": .string(one)])
        var caught: ExpressionError?
        do {
            _ = try compiled.evaluate(in: scope)
        } catch {
            caught = error
        }
        #expect(caught?.message == "evaluation took too many steps (limit 30)")
        #expect(caught?.path == ["b"])
    }
}
