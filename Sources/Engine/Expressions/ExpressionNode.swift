/// One node of a parsed expression. `offset` is the node's position in the expression source, in
/// Unicode scalars, so evaluation errors can point at the operator or name that failed.
///
/// Runs of binary operators of one precedence level are stored flat (`chain`), and member/index
/// accesses after a value likewise (`access`), so the tree's height follows the nesting of brackets and
/// calls rather than the length of the expression: evaluation recursion stays bounded by `maxDepth`.
struct ExpressionNode: Sendable, Hashable {
    var kind: Kind
    var offset: Int

    indirect enum Kind: Sendable, Hashable {
        case literal(JSONValue)
        case list([ExpressionNode])
        case object([ObjectEntry])
        /// A root name such as `trigger` or `steps`.
        case name(String)
        case access(ExpressionNode, [Accessor])
        case unary(UnaryOperator, ExpressionNode)
        /// `first op operand op operand ...`, folded left to right.
        case chain(ExpressionNode, [ChainLink])
        case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
        case call(String, [ExpressionNode])
    }

    struct ObjectEntry: Sendable, Hashable {
        var key: String
        var value: ExpressionNode
    }

    struct Accessor: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case member(String)
            case index(ExpressionNode)
        }
        var kind: Kind
        var offset: Int
    }

    struct ChainLink: Sendable, Hashable {
        var op: BinaryOperator
        var operand: ExpressionNode
        /// Where the operator is written.
        var offset: Int
    }

    enum UnaryOperator: String, Sendable, Hashable {
        case not = "!"
        case negate = "-"
    }

    enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case coalesce = "??"
        case or = "||"
        case and = "&&"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
        case remainder = "%"

        /// Binding strength: higher binds tighter. The ternary `?:` sits below all of these.
        var precedence: Int {
            switch self {
            case .coalesce: 1
            case .or: 2
            case .and: 3
            case .equal, .notEqual: 4
            case .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 5
            case .add, .subtract: 6
            case .multiply, .divide, .remainder: 7
            }
        }
    }
}
