import Testing

@testable import Engine

@Suite("Expression errors")
struct ExpressionErrorTests {
    static let parseErrors: [ExpressionFailureCase] = [
        .init("steps.a.output +", "in expression 'steps.a.output +': expected a value at column 17"),
        .init("lenn(x)", "in expression 'lenn(x)': unknown function 'lenn' (did you mean 'len'?) at column 1"),
        .init(
            "formatdate(x, 'y')",
            "in expression 'formatdate(x, 'y')': unknown function 'formatdate' (did you mean 'formatDate'?) at column 1"
        ),
        .init("len(1, 2)", "in expression 'len(1, 2)': len() takes 1 argument, got 2 (usage: len(value)) at column 1"),
        .init("now(1)", "in expression 'now(1)': now() takes no arguments, got 1 (usage: now()) at column 1"),
        .init(
            "1 + formatDate(1)",
            "in expression '1 + formatDate(1)': formatDate() takes 2 or 3 arguments, got 1 (usage: formatDate(date, format, timeZone?)) at column 5"
        ),
        .init(
            "min()",
            "in expression 'min()': min() takes at least 1 argument, got 0 (usage: min(number, ...) or min(list)) at column 1"
        ),
        .init(
            "range()",
            "in expression 'range()': range() takes 1 to 3 arguments, got 0 (usage: range(end) or range(start, end, step?)) at column 1"
        ),
        .init("a = 1", "in expression 'a = 1': unexpected '=' (did you mean '=='?) at column 3"),
        .init("a & b", "in expression 'a & b': unexpected '&' (did you mean '&&'?) at column 3"),
        .init("a | b", "in expression 'a | b': unexpected '|' (did you mean '||'?) at column 3"),
        .init("'abc", "in expression ''abc': unterminated string (missing closing ') at column 1"),
        .init("'a\\q'", "in expression ''a\\q'': unknown escape '\\q' in a string at column 3"),
        .init("'\\u12'", "in expression ''\\u12'': bad unicode escape (expected \\uXXXX or \\u{X...}) at column 2"),
        .init(
            "(1 + 2",
            "in expression '(1 + 2': expected ')' to close '(', found the end of the expression at column 7"
        ),
        .init(
            "[1, 2",
            "in expression '[1, 2': expected ']' or ',' in a list, found the end of the expression at column 6"
        ),
        .init("{a 1}", "in expression '{a 1}': expected ':' after the object key 'a', found a number at column 4"),
        .init("{a: 1, a: 2}", "in expression '{a: 1, a: 2}': duplicate key 'a' in an object at column 8"),
        .init(
            "{1: 2}",
            "in expression '{1: 2}': expected an object key (a name or a quoted string), found a number at column 2"
        ),
        .init(
            "a.1",
            "in expression 'a.1': expected a name after '.', found a number (use [...] for list positions and other keys) at column 3"
        ),
        .init(
            "1 2",
            "in expression '1 2': expected an operator or the end of the expression, found a number at column 3"
        ),
        .init("a b", "in expression 'a b': expected an operator or the end of the expression, found 'b' at column 3"),
        .init("", "in expression '': empty expression at column 1"),
        .init(
            "a ? b",
            "in expression 'a ? b': expected ':' between the branches of '?:', found the end of the expression at column 6"
        ),
        .init("@", "in expression '@': unexpected character '@' at column 1"),
        .init("1abc", "in expression '1abc': unexpected 'a' after a number at column 2"),
        .init("1e999", "in expression '1e999': number out of range at column 1"),
        .init(
            "steps.fetch.output(1)",
            "in expression 'steps.fetch.output(1)': only a function name can be called at column 19"
        ),
        .init("in", "in expression 'in': expected a value, found 'in' at column 1"),
        .init("1 +* 2", "in expression '1 +* 2': expected a value, found '*' at column 4"),
        .init("len(1,)", "in expression 'len(1,)': expected a value, found ')' at column 7"),
        .init("x[1", "in expression 'x[1': expected ']' to close '[', found the end of the expression at column 4"),
    ]

    static let evaluationErrors: [ExpressionFailureCase] = [
        .init("1 / 0", "in expression '1 / 0': division by zero at column 3"),
        .init("5 % 0", "in expression '5 % 0': division by zero at column 3"),
        .init(
            "1 < 'a'",
            "in expression '1 < 'a'': cannot compare number with string using '<' (expected two numbers or two strings) at column 3"
        ),
        .init(
            "trigger.body.missing > 5",
            "in expression 'trigger.body.missing > 5': cannot compare null with number using '>' (expected two numbers or two strings) at column 22"
        ),
        .init(
            "'a' - 1",
            "in expression ''a' - 1': cannot apply '-' to string and number (expected numbers) at column 5"
        ),
        .init("[1] + 1", "in expression '[1] + 1': cannot add list and number at column 5"),
        .init("'a' + null", "in expression ''a' + null': cannot add string and null at column 5"),
        .init("-'a'", "in expression '-'a'': cannot negate a string (expected a number) at column 1"),
        .init(
            "trgger.body",
            "in expression 'trgger.body': unknown name 'trgger' (did you mean 'trigger'?) at column 1"
        ),
        .init(
            "foo",
            "in expression 'foo': unknown name 'foo' (available here: env, index, input, item, run, secrets, steps, trigger) at column 1"
        ),
        .init(
            "trigger.body.issue.labels['x']",
            "in expression 'trigger.body.issue.labels['x']': a list index must be a number, not string at column 26"
        ),
        .init(
            "trigger.body.issue.labels[1.5]",
            "in expression 'trigger.body.issue.labels[1.5]': a list index must be a whole number, not 1.5 at column 26"
        ),
        .init("now", "in expression 'now': unknown name 'now' (to call the function, write 'now(...)') at column 1"),
        .init(
            "trigger.body[1]",
            "in expression 'trigger.body[1]': an object key must be a string, not number at column 13"
        ),
        .init("'abc'[null]", "in expression ''abc'[null]': a string index must be a number, not null at column 6"),
        .init("upper(1)", "in expression 'upper(1)': upper(): argument 1 must be a string, not number at column 1"),
        .init(
            "fromJson('{')",
            "in expression 'fromJson('{')': fromJson(): not valid JSON at byte 1: expected a string key at column 1"
        ),
        .init(
            "1 in 2",
            "in expression '1 in 2': cannot test number 'in' number (expected a list, a string in a string, or a key in an object) at column 3"
        ),
        .init("1e308 * 10", "in expression '1e308 * 10': result of '*' is too large at column 7"),
        .init(
            "sort([1, 'a'])",
            "in expression 'sort([1, 'a'])': sort(): the list must hold only numbers or only strings at column 1"
        ),
        .init(
            "range(100000)",
            "in expression 'range(100000)': range(): at most 10000 numbers (asked for 100000) at column 1"
        ),
        .init("range(1, 2, 0)", "in expression 'range(1, 2, 0)': range(): step must not be 0 at column 1"),
        .init(
            "replace('a', '', 'b')",
            "in expression 'replace('a', '', 'b')': replace(): argument 2 must not be empty at column 1"
        ),
        .init(
            "formatDate('yesterday', 'unix')",
            "in expression 'formatDate('yesterday', 'unix')': formatDate(): argument 1 is not an RFC 3339 date-time (like 2024-05-01T12:00:00Z) or unix seconds at column 1"
        ),
        .init(
            "formatDate(0, 'rfc3339', 'Europe/Berlim')",
            "in expression 'formatDate(0, 'rfc3339', 'Europe/Berlim')': formatDate(): unknown time zone 'Europe/Berlim' (did you mean 'Europe/Berlin'?) at column 1"
        ),
        .init(
            "formatDate(1e15, 'unix')",
            "in expression 'formatDate(1e15, 'unix')': formatDate(): date out of range (years 1 to 9999) at column 1"
        ),
        .init(
            "parseDate('2024-13-01')",
            "in expression 'parseDate('2024-13-01')': parseDate(): argument 1 is not an RFC 3339 date-time (like 2024-05-01T12:00:00Z) or unix seconds at column 1"
        ),
        .init(
            "parseDate('32.01.2024', 'dd.MM.yyyy')",
            "in expression 'parseDate('32.01.2024', 'dd.MM.yyyy')': parseDate(): the text does not match the format at column 1"
        ),
        .init(
            "base64Decode('%%%')",
            "in expression 'base64Decode('%%%')': base64Decode(): the text is not valid Base64 at column 1"
        ),
        .init(
            "base64Decode('/w==')",
            "in expression 'base64Decode('/w==')': base64Decode(): the decoded bytes are not UTF-8 text at column 1"
        ),
        .init(
            "matches('a', '(')",
            "in expression 'matches('a', '(')': matches(): invalid regular expression at column 1"
        ),
        .init("int('abc')", "in expression 'int('abc')': int(): the string is not a number at column 1"),
        .init(
            "join([[1]])",
            "in expression 'join([[1]])': join(): element 1 is a list; only strings, numbers, booleans and null can be joined at column 1"
        ),
        .init(
            "addDuration(now(), 'soon')",
            "in expression 'addDuration(now(), 'soon')': addDuration(): argument 2 must be a duration like '90s', '5m', '1h30m' or '-1d' at column 1"
        ),
        .init("min([])", "in expression 'min([])': min(): the list is empty at column 1"),
        .init("max(1, 'a')", "in expression 'max(1, 'a')': max(): argument 2 must be a number, not string at column 1"),
        .init("keys([1])", "in expression 'keys([1])': keys(): argument 1 must be an object, not list at column 1"),
        .init(
            "slice(1, 0)",
            "in expression 'slice(1, 0)': slice(): argument 1 must be a list or a string, not number at column 1"
        ),
        .init(
            "slice([1], 0.5)",
            "in expression 'slice([1], 0.5)': slice(): argument 2 must be a whole number at column 1"
        ),
        .init("round(1, 20)", "in expression 'round(1, 20)': round(): digits must be between 0 and 15 at column 1"),
        .init(
            "len(5)",
            "in expression 'len(5)': len(): argument 1 must be a string, list or object, not number at column 1"
        ),
        .init(
            "1 + (2 * len(true))",
            "in expression '1 + (2 * len(true))': len(): argument 1 must be a string, list or object, not bool at column 10"
        ),
    ]

    @Test(arguments: parseErrors)
    func parseErrorsAreExact(_ row: ExpressionFailureCase) {
        var description: String?
        do {
            _ = try Expression.parse(row.source)
        } catch {
            description = error.description
        }
        #expect(description == row.message)
    }

    @Test(arguments: evaluationErrors)
    func evaluationErrorsAreExact(_ row: ExpressionFailureCase) throws {
        // These all parse; the failure happens while evaluating.
        _ = try Expression.parse(row.source)
        #expect(ExpressionFixture.failure(row.source)?.description == row.message)
    }

    @Test func errorFieldsLocateTheProblem() {
        let error = ExpressionFixture.failure("1 + 2 / 0")
        #expect(error?.message == "division by zero")
        #expect(error?.source == "1 + 2 / 0")
        #expect(error?.offset == 6)
        #expect(error?.column == 7)
        #expect(error?.inTemplate == false)
    }

    @Test func secretValuesNeverAppearInMessages() {
        let sources = [
            "secrets.API_KEY < 1", "secrets.API_KEY - 1", "int(secrets.API_KEY)", "secrets.API_KEY[0.5]",
            "fromJson(secrets.API_KEY)", "base64Decode(secrets.API_KEY)", "formatDate(secrets.API_KEY, 'unix')",
            "parseDate(secrets.API_KEY, 'yyyy')", "secrets.API_KEY in 5", "-secrets.API_KEY",
        ]
        for source in sources {
            let error = ExpressionFixture.failure(source)
            #expect(error != nil, "\(source) should fail")
            #expect(error?.description.contains("s3cret") == false, "\(source) leaked the secret")
        }
    }

    @Test(arguments: [
        ("lenn", "len"), ("uppper", "upper"), ("startswith", "startsWith"), ("trigerr", "trigger"), ("stpes", "steps"),
        ("hmacsha256", "hmacSha256"),
    ])
    func didYouMeanFindsCloseNames(_ word: String, _ expected: String) {
        let candidates = FunctionRegistry.standard.names + ["trigger", "steps", "input", "secrets"]
        #expect(DidYouMean.suggest(word, from: candidates) == expected)
    }

    @Test func didYouMeanStaysQuietForFarOrExactNames() {
        #expect(DidYouMean.suggest("completely", from: ["len", "upper"]) == nil)
        #expect(DidYouMean.suggest("len", from: ["lenn", "len"]) == nil)
        #expect(DidYouMean.suggest("x", from: []) == nil)
        // Longer words allow more edits: a third of their length.
        #expect(DidYouMean.suggest("http_reqest", from: ["http_request", "llm_call"]) == "http_request")
        #expect(DidYouMean.suggest("abcdefghijkl", from: ["abcdeXXXXXXX"]) == nil)
    }
}
