public import Foundation

/// Finds workflow files: `*.yaml`, `*.yml`, `*.json` in a directory and its sub-directories, skipping dot files.
public enum WorkflowDirectory {
    public static let extensions = ["yaml", "yml", "json"]

    /// Paths relative to `directory`, sorted. Throws when the directory cannot be read.
    public static func scan(_ directory: String) throws -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EngineError(.notFound, "workflows directory \(directory) does not exist or is not a directory")
        }
        var out: [String] = []
        var pending = [""]
        var visited = 0
        while let relative = pending.popLast() {
            visited += 1
            if visited > 10_000 { break }  // a symlink loop or an absurd tree; stop rather than spin
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? fm.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names where !name.hasPrefix(".") {
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                var childIsDirectory: ObjCBool = false
                guard fm.fileExists(atPath: directory + "/" + childRelative, isDirectory: &childIsDirectory) else { continue }
                if childIsDirectory.boolValue {
                    pending.append(childRelative)
                } else if self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                    out.append(childRelative)
                }
            }
        }
        return out.sorted()
    }
}

/// The result of validating one file offline.
public struct ValidationResult: Sendable, Equatable {
    public var path: String
    public var workflowName: String?
    /// Full `file:line:col: error: ...` lines; empty when the file is good.
    public var diagnostics: [String]
    /// Full `file:line:col: warning: ...` lines of a file that loaded (warnings never refuse a file).
    public var warnings: [String] = []
}

/// `triggerctl validate`: the daemon's loader and cross-file checks, without a daemon.
public enum WorkflowValidator {
    /// Validates files and directories (expanded recursively). Secrets are not checked offline.
    public static func validate(paths: [String], loader: WorkflowLoader = WorkflowLoader()) -> [ValidationResult] {
        var files: [String] = []
        var results: [ValidationResult] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                do {
                    let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                    files += try WorkflowDirectory.scan(path).map { base + "/" + $0 }
                } catch {
                    results.append(ValidationResult(path: path, workflowName: nil, diagnostics: ["\(path): error: \(error)"]))
                }
            } else {
                files.append(path)
            }
        }
        var set = WorkflowSetChecker()
        for file in files {
            do {
                let definition = try loader.load(path: file)
                let clashes = set.add(definition)
                results.append(
                    ValidationResult(
                        path: file, workflowName: definition.name, diagnostics: clashes.map(\.description),
                        warnings: definition.warnings.map(\.description)))
            } catch {
                results.append(ValidationResult(path: file, workflowName: nil, diagnostics: error.diagnostics.map(\.description)))
            }
        }
        return results
    }
}

/// Checks that hold across files: unique workflow names and unique webhook paths.
public struct WorkflowSetChecker: Sendable {
    private var names: [String: String] = [:]
    private var paths: [String: String] = [:]

    public init() {}

    /// Adds a workflow; returns the clashes with workflows added before (then the workflow is not added).
    public mutating func add(_ definition: WorkflowDefinition) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let other = self.names[definition.name] {
            problems.append(
                Diagnostic(
                    SourceLocation(file: definition.file, line: 1, column: 1),
                    "workflow name '\(definition.name)' is already used by \(other)"))
        }
        for hook in definition.webhookTriggers {
            if let other = self.paths[hook.path] {
                problems.append(Diagnostic(hook.location, "webhook path '\(hook.path)' is already used by \(other)"))
            }
        }
        guard problems.isEmpty else { return problems }
        self.names[definition.name] = definition.file
        for hook in definition.webhookTriggers { self.paths[hook.path] = "workflow '\(definition.name)' (\(definition.file))" }
        return []
    }
}
