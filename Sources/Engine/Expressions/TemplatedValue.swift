/// A JSON tree whose strings may be templates: the compiled form of a step's `with:` block.
///
/// Subtrees without any `{{ }}` are kept as plain `literal` values, so evaluating them costs nothing.
public indirect enum TemplatedValue: Sendable, Hashable {
    case literal(JSONValue)
    case template(Template)
    case array([TemplatedValue])
    case object([String: TemplatedValue])

    /// Compiles every string in `value` as a template. Errors carry `path` (keys and indices) to the bad string.
    public static func compile(
        _ value: JSONValue,
        limits: ExpressionLimits = .standard,
        functions: FunctionRegistry = .standard
    ) throws(ExpressionError) -> TemplatedValue {
        switch value {
        case .string(let text):
            let template = try Template.parse(text, limits: limits, functions: functions)
            return template.isLiteral ? .literal(value) : .template(template)
        case .array(let elements):
            var compiled: [TemplatedValue] = []
            for (i, element) in elements.enumerated() {
                do {
                    compiled.append(try self.compile(element, limits: limits, functions: functions))
                } catch {
                    throw error.nested(in: String(i))
                }
            }
            return compiled.allSatisfy(\.isLiteral) ? .literal(value) : .array(compiled)
        case .object(let object):
            var compiled: [String: TemplatedValue] = [:]
            for key in object.keys.sorted() {
                do {
                    compiled[key] = try self.compile(object[key] ?? .null, limits: limits, functions: functions)
                } catch {
                    throw error.nested(in: key)
                }
            }
            return compiled.values.allSatisfy(\.isLiteral) ? .literal(value) : .object(compiled)
        default:
            return .literal(value)
        }
    }

    private var isLiteral: Bool { if case .literal = self { true } else { false } }

    /// Evaluates every template in the tree, sharing one evaluation budget.
    /// Errors carry the path to the failing string.
    public func evaluate(in scope: ExpressionScope) throws(ExpressionError) -> JSONValue {
        var evaluator = ExpressionEvaluator(scope: scope)
        return try self.evaluate(with: &evaluator)
    }

    private func evaluate(with evaluator: inout ExpressionEvaluator) throws(ExpressionError) -> JSONValue {
        switch self {
        case .literal(let value):
            return value
        case .template(let template):
            return try template.evaluate(with: &evaluator)
        case .array(let elements):
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                do {
                    out.append(try element.evaluate(with: &evaluator))
                } catch {
                    throw error.nested(in: String(i))
                }
            }
            return .array(out)
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for key in object.keys.sorted() {
                do {
                    out[key] = try object[key]?.evaluate(with: &evaluator) ?? .null
                } catch {
                    throw error.nested(in: key)
                }
            }
            return .object(out)
        }
    }

    /// Every expression in the tree, in key order, for load-time checks.
    public var expressions: [Expression] {
        switch self {
        case .literal: []
        case .template(let template): template.expressions
        case .array(let elements): elements.flatMap(\.expressions)
        case .object(let object): object.keys.sorted().flatMap { object[$0]?.expressions ?? [] }
        }
    }
}
