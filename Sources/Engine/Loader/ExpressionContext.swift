/// Where an expression is written, and so which root names the engine puts in scope when it evaluates it.
///
/// The loader checks every root an expression reads against its context, so a misspelt root (`trigerr.body`)
/// is a load error with a suggestion rather than a failed run. The lists mirror the scopes the engine builds:
/// `RunEngine.scope(for:)` for steps (plus `item` and `index` from `ForEachRunner`), the webhook ingest for
/// webhook filters and signing secrets, `emit` for event-trigger filters, and `StoredEvent.matches` for the
/// filter of a `wait_for_event` step.
struct ExpressionContext: Sendable {
    /// The root names in scope.
    var roots: [String]
    /// The step whose `steps.<id>` reads are checked against the graph once every step is known.
    var step: String?

    static let stepRoots = ["trigger", "input", "steps", "run", "env", "secrets"]

    /// `with:` and `if` of a step, and the workflow's `concurrency.key` (evaluated as a run starts).
    static func step(_ id: String?) -> ExpressionContext { ExpressionContext(roots: Self.stepRoots, step: id) }
    /// The inline step of a `for_each`: a step's roots plus the current `item` and its `index`.
    static func inlineStep(_ id: String) -> ExpressionContext {
        ExpressionContext(roots: Self.stepRoots + ["item", "index"], step: id)
    }
    /// A webhook trigger's `filter` and `dedupe`.
    static let webhook = ExpressionContext(roots: ["trigger", "secrets"])
    /// A webhook trigger's `verify` secrets.
    static let webhookSecret = ExpressionContext(roots: ["secrets"])
    /// An event trigger's `filter`.
    static let eventTrigger = ExpressionContext(roots: ["trigger", "event"])
    /// The `filter` of a `wait_for_event` step, evaluated against each arriving event.
    static let eventWait = ExpressionContext(roots: ["event"])

    /// Where the roots that are not everywhere exist, for a precise "unknown name" message.
    private static let homes: [String: String] = [
        "item": "'item' and 'index' exist only in the inline step of a for_each",
        "index": "'item' and 'index' exist only in the inline step of a for_each",
        "event": "'event' exists only in the filter of an event trigger or of a wait_for_event step",
    ]

    /// What the engine would say at run time about `name`, when it is not in scope here; nil when it is.
    func problem(reading name: String, functions: FunctionRegistry = .standard) -> String? {
        guard !self.roots.contains(name) else { return nil }
        var message = "unknown name '\(name)'"
        if functions.function(named: name) != nil {
            message += " (to call the function, write '\(name)(...)')"
        } else if let home = Self.homes[name] {
            message += " (\(home))"
        } else if let suggestion = DidYouMean.suggest(name, from: self.roots.sorted()) {
            message += " (did you mean '\(suggestion)'?)"
        } else {
            message += " (available here: \(self.roots.sorted().joined(separator: ", ")))"
        }
        return message
    }
}
