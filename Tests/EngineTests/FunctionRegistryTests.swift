import Foundation
import Testing

@testable import Engine

@Suite("Functions")
struct FunctionRegistryTests {
    static let strings: [ExpressionCase] = [
        .init("len('héllo')", 5),
        .init("len('😀')", 1),
        .init("len([1, 2])", 2),
        .init("len({a: 1})", 1),
        .init("len(null)", 0),
        .init("len('')", 0),
        .init("lower('ABC')", "abc"),
        .init("upper('abc')", "ABC"),
        .init("upper(trigger.body.issue.labels[0])", "BUG"),
        .init("trim('  x \\n')", "x"),
        .init("contains('hello', 'ell')", true),
        .init("contains([1, 2], 2)", true),
        .init("contains({a: 1}, 'a')", true),
        .init("contains(null, 'a')", false),
        .init("contains('abc', '')", true),
        .init("startsWith('hello', 'he')", true),
        .init("endsWith('hello', 'lo')", true),
        .init("startsWith('', 'a')", false),
        .init("split('a,b,,c', ',')", ["a", "b", "", "c"]),
        .init("split('abc', '')", ["a", "b", "c"]),
        .init("split('', ',')", []),
        .init("split(input.repo, '/')[1]", "widgets"),
        .init("len(split(input.repo, '/'))", 2),
        .init("join(['a', 1, true, null], '-')", "a-1-true-"),
        .init("join(['x', 'y'])", "xy"),
        .init("join([], ',')", ""),
        .init("replace('a-b-c', '-', '+')", "a+b+c"),
        .init("replace('aaa', 'a', 'bb')", "bbbbbb"),
        .init("replace('abc', 'x', 'y')", "abc"),
        .init("matches('Fix: crash', '(?i)^fix')", true),
        .init("matches('abc', '^b')", false),
        .init("matches('a1b2', '[0-9]')", true),
    ]

    static let collections: [ExpressionCase] = [
        .init("keys({b: 1, a: 2})", ["a", "b"]),
        .init("values({b: 1, a: 2})", [2, 1]),
        .init("join(sort(keys(trigger.headers)), ',')", "content-type,x-github-event"),
        .init("merge({a: 1, b: 1}, {b: 2}, null, {c: 3})", ["a": 1, "b": 2, "c": 3]),
        .init("slice([1, 2, 3, 4], 1, 3)", [2, 3]),
        .init("slice([1, 2, 3, 4], -2)", [3, 4]),
        .init("slice('hello', 1, -1)", "ell"),
        .init("slice([1], 5)", []),
        .init("slice([1, 2, 3], 2, 1)", []),
        .init("first([1, 2])", 1),
        .init("last([1, 2])", 2),
        .init("first([])", nil),
        .init("sort([3, 1, 2])", [1, 2, 3]),
        .init("sort(['b', 'a'])", ["a", "b"]),
        .init("sort(input.names)", ["a", "b", "c"]),
        .init("sort([])", []),
        .init("unique([1, 2, 1, '1', 2])", [1, 2, "1"]),
        .init("range(3)", [0, 1, 2]),
        .init("range(2, 5)", [2, 3, 4]),
        .init("range(10, 0, -3)", [10, 7, 4, 1]),
        .init("range(0)", []),
        .init("range(5, 2)", []),
        .init("coalesce(null, null, 3, 4)", 3),
        .init("coalesce(null)", nil),
        .init("reverse([1, 2, 3])", [3, 2, 1]),
        .init("reverse('abc')", "cba"),
        .init("flatten([[1, 2], [3], 4])", [1, 2, 3, 4]),
        .init("default(null, 'x')", "x"),
        .init("default('', 'x')", "x"),
        .init("default(0, 'x')", 0),
        .init("default('v', 'x')", "v"),
        .init("default(trigger.body.missing, 5)", 5),
    ]

    static let numbers: [ExpressionCase] = [
        .init("abs(-3)", 3),
        .init("min(3, 1, 2)", 1),
        .init("max([4, 9, 2])", 9),
        .init("max(1)", 1),
        .init("round(2.5)", 3),
        .init("round(-2.5)", -3),
        .init("round(3.14159, 2)", 3.14),
        .init("floor(-1.5)", -2),
        .init("ceil(1.2)", 2),
        .init("int('42')", 42),
        .init("int(' 7 ')", 7),
        .init("int(3.9)", 3),
        .init("int(-3.9)", -3),
        .init("int(true)", 1),
        .init("float('2.5')", 2.5),
        .init("string(12)", "12"),
        .init("string(null)", ""),
        .init("string([1, {b: 2, a: 1}])", "[1,{\"a\":1,\"b\":2}]"),
        .init("string('s')", "s"),
        .init("bool('false')", false),
        .init("bool('Off')", false),
        .init("bool('yes')", true),
        .init("bool(0)", false),
        .init("bool([1])", true),
        .init("sum([1, 2, 3.5])", 6.5),
        .init("sum([])", 0),
        .init("type([])", "list"),
        .init("type(null)", "null"),
        .init("type({})", "object"),
        .init("type(1)", "number"),
    ]

    static let encoding: [ExpressionCase] = [
        .init("json({b: [1, 'x'], a: null})", "{\"a\":null,\"b\":[1,\"x\"]}"),
        .init("toJson('q\"')", "\"q\\\"\""),
        .init("toJson(1.5)", "1.5"),
        .init("toJson(3)", "3"),
        .init("toJson(trigger.body.issue)", "{\"labels\":[\"bug\",\"p1\"],\"number\":42,\"title\":\"Crash on start\"}"),
        .init("fromJson('{\"a\": [1, 2]}')", ["a": [1, 2]]),
        .init("fromJson('\"s\"')", "s"),
        .init("fromJson('null')", nil),
        .init("fromJson(toJson(input))", ExpressionFixture.roots["input"] ?? .null),
        .init("base64Encode('hello')", "aGVsbG8="),
        .init("base64Encode('')", ""),
        .init("base64Decode('aGVsbG8=')", "hello"),
        .init("base64Decode('aGVsbG8')", "hello"),
        .init("base64Decode(base64Encode('ü?>~'))", "ü?>~"),
        .init("base64Decode('Pz8-')", "??>"),
        .init("sha256('')", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        .init("sha256('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        .init(
            "hmacSha256('key', 'The quick brown fox jumps over the lazy dog')",
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        ),
        .init("'sha256=' + hmacSha256(secrets.API_KEY, '{}')", .string("sha256=" + ExpectedDigests.hmacOfBraces)),
        .init("urlEncode('a b&c/é')", "a%20b%26c%2F%C3%A9"),
        .init("urlEncode({q: 'x y', a: 1})", "a=1&q=x%20y"),
        .init("urlDecode('a%20b%2Fc')", "a b/c"),
        .init("hexEncode('hi')", "6869"),
        .init("hexEncode('é')", "c3a9"),
    ]

    static let dates: [ExpressionCase] = [
        .init("now()", "2024-05-01T12:00:00Z"),
        .init("formatDate('2024-05-01T12:00:00Z', 'yyyy-MM-dd')", "2024-05-01"),
        .init("formatDate(0, 'rfc3339')", "1970-01-01T00:00:00Z"),
        .init("formatDate('2024-05-01T12:00:00Z', 'HH:mm', 'Europe/Berlin')", "14:00"),
        .init("formatDate('2024-05-01T12:00:00Z', 'rfc3339', 'Europe/Berlin')", "2024-05-01T14:00:00+02:00"),
        .init("formatDate('2024-01-01T12:00:00Z', 'rfc3339', 'America/New_York')", "2024-01-01T07:00:00-05:00"),
        .init("formatDate('2024-05-01T12:00:00Z', 'rfc3339', '+05:30')", "2024-05-01T17:30:00+05:30"),
        .init("formatDate('2024-05-01T12:00:00Z', 'unix')", 1_714_564_800),
        .init("formatDate(1714564800.5, 'rfc3339')", "2024-05-01T12:00:00.500Z"),
        .init("formatDate('2024-02-29T23:59:59-05:00', 'rfc3339')", "2024-03-01T04:59:59Z"),
        .init("formatDate(now(), 'EEE, dd MMM yyyy')", "Wed, 01 May 2024"),
        .init("formatDate(-86400, 'rfc3339')", "1969-12-31T00:00:00Z"),
        .init("formatDate('1714564800', 'rfc3339')", "2024-05-01T12:00:00Z"),
        .init("parseDate('2024-05-01T14:00:00+02:00')", "2024-05-01T12:00:00Z"),
        .init("parseDate('01.05.2024', 'dd.MM.yyyy')", "2024-05-01T00:00:00Z"),
        .init("parseDate('01.05.2024 10:00', 'dd.MM.yyyy HH:mm', 'Europe/Berlin')", "2024-05-01T08:00:00Z"),
        .init("parseDate('1714564800', 'unix')", "2024-05-01T12:00:00Z"),
        .init("parseDate(1714564800)", "2024-05-01T12:00:00Z"),
        .init("parseDate('2024-05-01')", "2024-05-01T00:00:00Z"),
        .init("parseDate('2024-05-01 12:00:00.25Z')", "2024-05-01T12:00:00.250Z"),
        .init("parseDate('2000-02-29T00:00:00z')", "2000-02-29T00:00:00Z"),
        .init("addDuration(now(), '1h30m')", "2024-05-01T13:30:00Z"),
        .init("addDuration('2024-05-01T00:00:00Z', '-1d')", "2024-04-30T00:00:00Z"),
        .init("addDuration(0, 60)", "1970-01-01T00:01:00Z"),
        .init("parseDate(run.started_at) < addDuration(now(), '1s')", true),
    ]

    @Test(arguments: strings + collections)
    func stringAndCollectionFunctions(_ row: ExpressionCase) throws {
        #expect(try ExpressionFixture.evaluate(row.source) == row.expected)
    }

    @Test(arguments: numbers + encoding + dates)
    func numberEncodingAndDateFunctions(_ row: ExpressionCase) throws {
        #expect(try ExpressionFixture.evaluate(row.source) == row.expected)
    }

    @Test func uuidIsRandomVersion4() throws {
        let first = try ExpressionFixture.evaluate("uuid()")
        let second = try ExpressionFixture.evaluate("uuid()")
        let text = try #require(first.stringValue)
        #expect(first != second)
        #expect(text.count == 36)
        #expect(text == text.lowercased())
        #expect(Array(text)[14] == "4")
    }

    @Test func nowReadsTheInjectedClockNotTheSystem() throws {
        let scope = ExpressionScope(now: Date(timeIntervalSince1970: 86_400.25))
        #expect(try Expression.parse("now()").evaluate(in: scope) == "1970-01-02T00:00:00.250Z")
    }

    @Test func registryCallsDirectlyForTheFunctionCallStep() throws {
        let registry = FunctionRegistry.standard
        #expect(try registry.call("upper", ["abc"], now: ExpressionFixture.now) == "ABC")
        #expect(throws: FunctionError("upper(): argument 1 must be a string, not number")) {
            try registry.call("upper", [1], now: ExpressionFixture.now)
        }
        #expect(throws: FunctionError("unknown function 'lenn' (did you mean 'len'?)")) {
            try registry.call("lenn", ["x"], now: ExpressionFixture.now)
        }
        #expect(throws: FunctionError("len() takes 1 argument, got 0 (usage: len(value))")) {
            try registry.call("len", [], now: ExpressionFixture.now)
        }
    }

    @Test func registryListsTheContractFunctions() {
        let required = [
            "len", "lower", "upper", "trim", "contains", "startsWith", "endsWith", "split", "join", "replace", "keys",
            "values",
            "json", "fromJson", "toJson", "now", "formatDate", "parseDate", "base64Encode", "base64Decode", "sha256",
            "hmacSha256", "uuid", "default",
        ]
        let names = FunctionRegistry.standard.names
        #expect(required.filter { !names.contains($0) } == [])
        #expect(names == names.sorted())
        for name in names {
            let function = FunctionRegistry.standard.function(named: name)
            #expect(function?.signature.hasPrefix(name + "(") == true, "signature of \(name)")
            #expect(function?.summary.isEmpty == false, "summary of \(name)")
        }
    }

    @Test func customFunctionsCanBeRegistered() throws {
        var registry = FunctionRegistry.standard
        registry.register("double", arity: 1...1, signature: "double(number)", summary: "twice the number") {
            call throws(FunctionError) in
            .number(try call.number(0) * 2)
        }
        let scope = ExpressionScope(functions: registry)
        #expect(try Expression.parse("double(21)", functions: registry).evaluate(in: scope) == 42)
        // The standard registry is a value and stays unchanged.
        #expect(FunctionRegistry.standard.function(named: "double") == nil)
    }
}

/// Digests computed independently (with `openssl dgst -sha256 -hmac s3cret`) for the table above.
enum ExpectedDigests {
    static let hmacOfBraces = "adbde1ce40c89c14215687d5d762a47df6dfaefcfad61e2e86718ffc8498571b"
}
