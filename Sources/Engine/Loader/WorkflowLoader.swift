import Crypto
public import Foundation
import Yams

/// Reads one workflow file (YAML or JSON) into a `WorkflowDefinition`, or every problem in it as diagnostics.
///
/// The daemon and `triggerctl validate` use the same loader, so a file that validates offline loads in the daemon.
public struct WorkflowLoader: Sendable {
    /// Secret names that exist; `secrets.X` for any other name is a load error. Nil skips the check (offline).
    public var knownSecrets: Set<String>?
    /// Zone for cron triggers without `timezone:`.
    public var defaultTimeZone: String

    public init(knownSecrets: Set<String>? = nil, defaultTimeZone: String = "UTC") {
        self.knownSecrets = knownSecrets
        self.defaultTimeZone = defaultTimeZone
    }

    static let topLevelFields = ["name", "description", "triggers", "inputs", "concurrency", "timeout", "steps"]

    /// Loads a file from disk; `displayPath` is the path diagnostics print.
    public func load(path: String, displayPath: String? = nil) throws(DefinitionErrors) -> WorkflowDefinition {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionErrors([Diagnostic(SourceLocation(file: shown, line: 1, column: 1), "cannot read the file")])
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw DefinitionErrors([
                Diagnostic(SourceLocation(file: shown, line: 1, column: 1), "the file is not valid UTF-8 text")
            ])
        }
        return try self.load(source: source, file: shown, defaultName: Self.defaultName(forPath: path))
    }

    /// The workflow name a file gets without `name:`: its file name without extension.
    public static func defaultName(forPath path: String) -> String {
        let base = (path as NSString).lastPathComponent
        for ext in [".yaml", ".yml", ".json"] where base.hasSuffix(ext) {
            return String(base.dropLast(ext.count))
        }
        return base
    }

    /// The version hash of a file's content.
    public static func version(of source: String) -> String {
        SHA256.hash(data: Data(source.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads from text.
    public func load(source: String, file: String, defaultName: String) throws(DefinitionErrors) -> WorkflowDefinition {
        if file.hasSuffix(".json") {
            // YAML accepts what JSON forbids (trailing commas, comments); a .json file is held to JSON.
            do {
                _ = try JSONValue.parse(source)
            } catch let error as JSONParseError {
                let (line, column) = Self.lineAndColumn(ofByte: error.offset ?? 0, in: source)
                throw DefinitionErrors([
                    Diagnostic(SourceLocation(file: file, line: line, column: column), "invalid JSON: \(error.reason ?? error.description)")
                ])
            } catch {
                throw DefinitionErrors([Diagnostic(SourceLocation(file: file, line: 1, column: 1), "invalid JSON: \(error)")])
            }
        }
        if let alias = YAMLAliases.first(in: source) {
            throw DefinitionErrors([YAMLAliases.diagnostic(file: file, at: alias)])
        }
        let reader = NodeReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: source) else {
                throw DefinitionErrors([
                    Diagnostic(SourceLocation(file: file, line: 1, column: 1), "the file is empty (expected a workflow with 'steps:')")
                ])
            }
            root = node
        } catch let error as DefinitionErrors {
            throw error
        } catch {
            throw DefinitionErrors([Self.syntaxDiagnostic(error, file: file)])
        }
        guard let entries = reader.mapping(root, what: "a workflow") else { throw DefinitionErrors(reader.diagnostics) }
        let fields = reader.known(entries, allowed: Self.topLevelFields, what: "the workflow")

        var name = defaultName
        if let entry = fields["name"], let text = reader.string(entry.value, what: "'name'") {
            if Self.isValidName(text) {
                name = text
            } else {
                reader.error(entry.value, "workflow name '\(text)' may only use letters, digits, '-', '_' and '.'")
            }
        }
        let description = fields["description"].flatMap { reader.string($0.value, what: "'description'") }
        let timeout = fields["timeout"].flatMap { reader.duration($0.value, what: "'timeout'") }
        let inputs = fields["inputs"].map { self.readInputs($0.value, reader: reader) } ?? []
        let concurrency = fields["concurrency"].flatMap { self.readConcurrency($0.value, reader: reader) }

        var steps: [String: StepDefinition] = [:]
        var order: [String] = []
        if let entry = fields["steps"] {
            (steps, order) = self.readSteps(entry.value, reader: reader)
        } else {
            reader.error(root, "the workflow has no 'steps:' (add at least one step)")
        }
        let triggers = fields["triggers"].map { self.readTriggers($0.value, reader: reader) } ?? [.manual]
        let definition = WorkflowDefinition(
            name: name, description: description, file: file, version: Self.version(of: source), source: source,
            triggers: triggers, inputs: inputs, concurrency: concurrency, timeout: timeout, steps: steps,
            stepOrder: order)
        if reader.diagnostics.isEmpty {
            GraphChecker(definition: definition, reader: reader, knownSecrets: self.knownSecrets).check()
        }
        guard reader.diagnostics.isEmpty else { throw DefinitionErrors(reader.diagnostics) }
        var loaded = Self.markBodyReaders(definition)
        loaded.warnings = DefinitionErrors(reader.warnings).diagnostics
        return loaded
    }

    /// 1-based line and column (in characters) of a UTF-8 byte offset.
    static func lineAndColumn(ofByte offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for (i, byte) in text.utf8.enumerated() {
            if i >= offset { break }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    static func isValidName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
            }
    }

    /// A YAML syntax error as a diagnostic at the scanner's position.
    static func syntaxDiagnostic(_ error: any Error, file: String) -> Diagnostic {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                var message = "invalid YAML: \(problem)"
                if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
                return Diagnostic(SourceLocation(file: file, line: mark.line, column: mark.column), message)
            case .reader(let problem, _, _, _):
                return Diagnostic(SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return Diagnostic(
                    SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                    "duplicate key '\(duplicates.first ?? "")' in a mapping")
            default:
                break
            }
        }
        return Diagnostic(SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
    }

    /// Webhook triggers learn whether the workflow reads `trigger.body` (a JSON body that fails to parse is then a 400).
    static func markBodyReaders(_ definition: WorkflowDefinition) -> WorkflowDefinition {
        var copy = definition
        let reads = definition.source.contains("trigger.body") || definition.source.contains("trigger['body']")
            || definition.source.contains("trigger[\"body\"]")
        copy.triggers = definition.triggers.map {
            guard case .webhook(var hook) = $0 else { return $0 }
            hook.readsBody = reads
            return .webhook(hook)
        }
        return copy
    }

    private func readInputs(_ node: Node, reader: NodeReader) -> [InputDefinition] {
        guard let entries = reader.mapping(node, what: "'inputs'") else { return [] }
        var out: [InputDefinition] = []
        let kinds = InputDefinition.Kind.allCases.map(\.rawValue)
        for entry in entries {
            var kind = InputDefinition.Kind.any
            var required = false
            var defaultValue: JSONValue?
            var description: String?
            if case .scalar = entry.value {
                guard let text = reader.string(entry.value, what: "input '\(entry.key)'") else { continue }
                guard let k = InputDefinition.Kind(rawValue: text) else {
                    reader.error(entry.value, "input '\(entry.key)' has unknown type '\(text)' (expected one of: \(kinds.joined(separator: ", ")))")
                    continue
                }
                kind = k
            } else if let fields = reader.mapping(entry.value, what: "input '\(entry.key)'") {
                let f = reader.known(fields, allowed: ["type", "required", "default", "description"], what: "input '\(entry.key)'")
                if let t = f["type"], let text = reader.string(t.value, what: "'type'") {
                    if let k = InputDefinition.Kind(rawValue: text) {
                        kind = k
                    } else if let guess = DidYouMean.suggest(text, from: kinds) {
                        reader.error(t.value, "input '\(entry.key)' has unknown type '\(text)' (did you mean '\(guess)'?)")
                    } else {
                        reader.error(t.value, "input '\(entry.key)' has unknown type '\(text)' (expected one of: \(kinds.joined(separator: ", ")))")
                    }
                }
                required = f["required"].flatMap { reader.bool($0.value, what: "'required'") } ?? false
                defaultValue = f["default"].map { reader.json($0.value) }
                description = f["description"].flatMap { reader.string($0.value, what: "'description'") }
            }
            out.append(InputDefinition(name: entry.key, type: kind, required: required, defaultValue: defaultValue, description: description))
        }
        return out
    }

    private func readConcurrency(_ node: Node, reader: NodeReader) -> ConcurrencyPolicy? {
        guard let entries = reader.mapping(node, what: "'concurrency'") else { return nil }
        let f = reader.known(entries, allowed: ["limit", "key"], what: "'concurrency'")
        let limit = f["limit"].flatMap { reader.int($0.value, what: "'concurrency.limit'", range: 1...100_000) } ?? 1
        var key: Template?
        if let k = f["key"], let text = reader.string(k.value, what: "'concurrency.key'") {
            key = reader.reading(in: .step(nil)) { reader.template(text, node: k.value, what: "'concurrency.key'") }
        }
        return ConcurrencyPolicy(limit: limit, key: key)
    }
}
