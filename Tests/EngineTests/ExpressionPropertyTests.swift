import Testing

@testable import Engine

/// Random expressions checked against an independent reference evaluator, printed and re-parsed, and
/// random garbage fed to the parser. Seeds are fixed, so a failure reproduces.
@Suite("Expression properties")
struct ExpressionPropertyTests {
    /// A tiny typed expression tree with its own evaluator and its own printer (minimal parentheses).
    indirect enum Tree {
        case number(Int)
        case bool(Bool)
        case binary(String, Tree, Tree)
        case negate(Tree)
        case not(Tree)
        case conditional(Tree, Tree, Tree)

        static let precedence: [String: Int] = [
            "??": 1, "||": 2, "&&": 3, "==": 4, "!=": 4, "<": 5, "<=": 5, ">": 5, ">=": 5,
            "+": 6, "-": 6, "*": 7, "/": 7, "%": 7,
        ]

        /// What the expression should evaluate to: a value, or the message of the error it should raise.
        func reference() -> Result<JSONValue, ReferenceFailure> {
            switch self {
            case .number(let n): return .success(.number(Double(n)))
            case .bool(let b): return .success(.bool(b))
            case .negate(let x): return x.reference().map { .number(-($0.doubleValue ?? 0)) }
            case .not(let x): return x.reference().map { .bool(!$0.isTruthy) }
            case .conditional(let c, let a, let b):
                return c.reference().flatMap { $0.isTruthy ? a.reference() : b.reference() }
            case .binary(let op, let l, let r):
                return l.reference().flatMap { left in
                    switch op {
                    case "&&": return left.isTruthy ? r.reference() : .success(left)
                    case "||": return left.isTruthy ? .success(left) : r.reference()
                    case "??": return left != .null ? .success(left) : r.reference()
                    default: break
                    }
                    return r.reference().flatMap { right in
                        let a = left.doubleValue ?? .nan
                        let b = right.doubleValue ?? .nan
                        switch op {
                        case "+": return .success(.number(a + b))
                        case "-": return .success(.number(a - b))
                        case "*": return .success(.number(a * b))
                        case "/":
                            return b == 0
                                ? .failure(ReferenceFailure(message: "division by zero")) : .success(.number(a / b))
                        case "%":
                            return b == 0
                                ? .failure(ReferenceFailure(message: "division by zero"))
                                : .success(.number(a.truncatingRemainder(dividingBy: b)))
                        case "<": return .success(.bool(a < b))
                        case "<=": return .success(.bool(a <= b))
                        case ">": return .success(.bool(a > b))
                        case ">=": return .success(.bool(a >= b))
                        case "==": return .success(.bool(left == right))
                        default: return .success(.bool(left != right))
                        }
                    }
                }
            }
        }

        /// Source text with only the parentheses precedence needs, plus random redundant ones and spacing.
        func printed(context: Int, using rng: inout SeededGenerator) -> String {
            let space = Int.random(in: 0..<4, using: &rng) == 0 ? "" : " "
            var text: String
            var own: Int
            switch self {
            case .number(let n):
                text = String(n)
                own = 9
            case .bool(let b):
                text = b ? "true" : "false"
                own = 9
            case .negate(let x):
                text = "- " + x.printed(context: 8, using: &rng)
                own = 8
            case .not(let x):
                text = "!" + x.printed(context: 8, using: &rng)
                own = 8
            case .conditional(let c, let a, let b):
                text =
                    c.printed(context: 1, using: &rng) + " ? " + a.printed(context: 0, using: &rng) + " : "
                    + b.printed(context: 0, using: &rng)
                own = 0
            case .binary(let op, let l, let r):
                own = Self.precedence[op] ?? 0
                // Left-associative: the right operand needs brackets at the same precedence.
                text =
                    l.printed(context: own, using: &rng) + space + op + space + r.printed(context: own + 1, using: &rng)
            }
            if own < context || Int.random(in: 0..<10, using: &rng) == 0 { text = "(" + text + ")" }
            return text
        }

        static func number(depth: Int, using rng: inout SeededGenerator) -> Tree {
            if depth == 0 || Int.random(in: 0..<4, using: &rng) == 0 {
                return .number(Int.random(in: 0...12, using: &rng))
            }
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: return .negate(self.number(depth: depth - 1, using: &rng))
            case 1:
                return .conditional(
                    self.boolean(depth: depth - 1, using: &rng),
                    self.number(depth: depth - 1, using: &rng),
                    self.number(depth: depth - 1, using: &rng)
                )
            case 2:
                return .binary(
                    "??",
                    self.number(depth: depth - 1, using: &rng),
                    self.number(depth: depth - 1, using: &rng)
                )
            default:
                let op = ["+", "-", "*", "/", "%", "+"].randomElement(using: &rng) ?? "+"
                return .binary(
                    op,
                    self.number(depth: depth - 1, using: &rng),
                    self.number(depth: depth - 1, using: &rng)
                )
            }
        }

        static func boolean(depth: Int, using rng: inout SeededGenerator) -> Tree {
            if depth == 0 || Int.random(in: 0..<5, using: &rng) == 0 { return .bool(Bool.random(using: &rng)) }
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: return .not(self.boolean(depth: depth - 1, using: &rng))
            case 1, 2:
                let op = ["&&", "||"].randomElement(using: &rng) ?? "&&"
                return .binary(
                    op,
                    self.boolean(depth: depth - 1, using: &rng),
                    self.boolean(depth: depth - 1, using: &rng)
                )
            default:
                let op = ["<", "<=", ">", ">=", "==", "!="].randomElement(using: &rng) ?? "<"
                return .binary(
                    op,
                    self.number(depth: depth - 1, using: &rng),
                    self.number(depth: depth - 1, using: &rng)
                )
            }
        }
    }

    struct ReferenceFailure: Error, Equatable {
        let message: String
    }

    /// Value or error message, for comparing two evaluations.
    private static func outcome(_ expression: Expression) -> Result<JSONValue, ReferenceFailure> {
        do {
            return .success(try expression.evaluate(in: ExpressionFixture.scope()))
        } catch {
            return .failure(ReferenceFailure(message: error.message))
        }
    }

    @Test func randomExpressionsMatchTheReferenceEvaluator() throws {
        var rng = SeededGenerator(seed: 0x7215_6E4D)
        for _ in 0..<1500 {
            let tree =
                Bool.random(using: &rng) ? Tree.number(depth: 5, using: &rng) : Tree.boolean(depth: 5, using: &rng)
            let source = tree.printed(context: 0, using: &rng)
            let expression = try Expression.parse(source)
            let actual = Self.outcome(expression)
            #expect(actual == tree.reference(), "\(source)")
        }
    }

    @Test func canonicalPrintingRoundTrips() throws {
        var sources =
            (ExpressionEvaluationTests.literals + ExpressionEvaluationTests.arithmetic
            + ExpressionEvaluationTests.strings
            + ExpressionEvaluationTests.comparisons + ExpressionEvaluationTests.logic + ExpressionEvaluationTests.paths
            + FunctionRegistryTests.strings + FunctionRegistryTests.collections + FunctionRegistryTests.numbers
            + FunctionRegistryTests.encoding + FunctionRegistryTests.dates).map(\.source)
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<500 { sources.append(Tree.number(depth: 6, using: &rng).printed(context: 0, using: &rng)) }
        for source in sources {
            let original = try Expression.parse(source)
            let printed = original.canonicalText
            let reparsed = try Expression.parse(printed)
            #expect(reparsed.canonicalText == printed, "\(source)")
            #expect(reparsed.referencedRoots == original.referencedRoots, "\(source)")
            // uuid() is random by design; everything else must agree exactly.
            if !source.contains("uuid") {
                #expect(Self.outcome(reparsed) == Self.outcome(original), "\(source)")
            }
        }
    }

    @Test func garbageNeverCrashesAndErrorsPointInsideTheText() {
        let pieces = [
            "(", ")", "[", "]", "{", "}", "{{", "}}", "'", "\"", "\\", ",", ":", ".", "?", "??", "!", "=", "==", "&&",
            "||", "&", "|",
            "+", "-", "*", "/", "%", "<", ">=", " ", "\n", "in", "a", "trigger", "steps", "len", "now", "1", "0", "1e5",
            "9e999", "x-y",
            "null", "true", "é", "😀", "\\u", "\\u{", "#",
        ]
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...14, using: &rng)
            let text = (0..<count).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
            let length = text.unicodeScalars.count
            do {
                let template = try Template.parse("{{ " + text + " }}")
                _ = try? template.evaluate(in: ExpressionFixture.scope())
            } catch {
                #expect(error.offset >= 0 && error.offset <= length + 6, "\(text)")
                #expect(error.column >= 1, "\(text)")
            }
            do {
                let template = try Template.parse(text)
                _ = try? template.evaluate(in: ExpressionFixture.scope())
            } catch {
                #expect(error.offset >= 0 && error.offset <= length, "\(text)")
            }
        }
    }
}
