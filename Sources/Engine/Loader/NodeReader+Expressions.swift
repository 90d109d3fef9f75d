import Yams

extension NodeReader {
    /// Runs `body` with templates read in `context`, then restores the previous context.
    func reading<T>(in context: ExpressionContext?, _ body: () -> T) -> T {
        let saved = self.expressionContext
        self.expressionContext = context
        defer { self.expressionContext = saved }
        return body()
    }

    /// Reports every root name the template's expressions read that is not in scope where it is written, at
    /// the name's own column, and remembers `steps.<id>` reads with their positions for the graph check.
    func checkNames(_ template: Template, node: Node, what: String) {
        guard let context = self.expressionContext else { return }
        for expression in template.expressions {
            var reported: Set<String> = []
            expression.root.visit { part in
                switch part.kind {
                case .name(let name):
                    guard let problem = context.problem(reading: name), reported.insert(name).inserted else { return }
                    let error = expression.source.error(problem, at: part.offset)
                    self.error(at: self.location(node, offset: error.offset), "\(what): \(error.description)")
                case .access(let base, let accessors):
                    guard let step = context.step, case .name("steps") = base.kind, let first = accessors.first else { return }
                    let id: String
                    switch first.kind {
                    case .member(let member): id = member
                    case .index(let key):
                        guard case .literal(.string(let literal)) = key.kind else { return }
                        id = literal
                    }
                    let offset = expression.source.baseOffset + base.offset
                    self.stepReads.append((step, id, self.location(node, offset: offset)))
                default:
                    break
                }
            }
        }
    }
}
