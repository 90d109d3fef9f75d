public import Foundation

/// The workflows currently loaded from the workflows directory, with the last good version of each file.
///
/// A file that fails to load never replaces its last good version: the error is kept beside it and shown by
/// `status` and `workflows`. Files are identified by their path relative to the directory.
public struct WorkflowCatalog: Sendable {
    /// Active definitions by workflow name.
    public private(set) var byName: [String: WorkflowDefinition] = [:]
    /// Latest diagnostics per file whose newest content was refused.
    public private(set) var errors: [String: String] = [:]
    /// Which workflow each file holds (last good).
    private var nameOfFile: [String: String] = [:]
    /// Content hash last seen per file (good or bad), to skip unchanged files.
    private var seenVersion: [String: String] = [:]

    public init() {}

    /// Every file known: loaded ones and ones with errors.
    public var files: [String] { Array(Set(self.nameOfFile.keys).union(self.errors.keys)).sorted() }

    /// The workflow a file holds, if it ever loaded.
    public func workflow(inFile file: String) -> WorkflowDefinition? {
        self.nameOfFile[file].flatMap { self.byName[$0] }
    }

    /// Makes the next `reload` load every file again, changed or not (the known secret names changed, so a file
    /// refused for an unknown secret may load now, and one using a removed secret must say so).
    public mutating func recheckAll() {
        self.seenVersion.removeAll()
    }

    /// Rescans the directory and applies every change. Returns what changed.
    public mutating func reload(directory: String, loader: WorkflowLoader) -> ReloadReport {
        let files: [String]
        do {
            files = try WorkflowDirectory.scan(directory)
        } catch {
            return ReloadReport(
                loaded: self.byName.count, changed: [], removed: [],
                errors: [FileLoadError(file: directory, message: "\(error)")])
        }
        var changed: [String] = []
        var removed: [String] = []
        var warnings: [FileLoadError] = []
        // Deleted files: their workflows stop (runs in flight keep their pinned version in the store).
        for file in self.files where !files.contains(file) {
            if let name = self.nameOfFile.removeValue(forKey: file) {
                self.byName.removeValue(forKey: name)
                removed.append(name)
            }
            self.errors.removeValue(forKey: file)
            self.seenVersion.removeValue(forKey: file)
        }
        // Changed and new files.
        var loaded: [(file: String, definition: WorkflowDefinition)] = []
        for file in files {
            let path = directory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let version = WorkflowLoader.version(of: text)
            if self.seenVersion[file] == version { continue }
            self.seenVersion[file] = version
            do {
                let definition = try loader.load(
                    source: text, file: file, defaultName: WorkflowLoader.defaultName(forPath: file))
                loaded.append((file, definition))
            } catch {
                self.errors[file] = error.description
            }
        }
        // Apply loaded files after checking names and webhook paths against everything else. One checker holds
        // the workflows whose files did not change, and each newly loaded file is added to it in turn (linear in
        // the number of files; 10,000 files load in seconds, not minutes).
        let reloadedNames = Set(loaded.compactMap { self.nameOfFile[$0.file] })
        var checker = WorkflowSetChecker()
        for (name, other) in self.byName where !reloadedNames.contains(name) {
            _ = checker.add(other)
        }
        for (file, definition) in loaded {
            let clashes = checker.add(definition)
            if !clashes.isEmpty {
                // The file's last good version stays active, so it keeps its name and paths in the checker.
                if let old = self.nameOfFile[file].flatMap({ self.byName[$0] }) { _ = checker.add(old) }
                self.errors[file] = clashes.map(\.description).joined(separator: "\n")
                continue
            }
            if let old = self.nameOfFile[file], old != definition.name {
                self.byName.removeValue(forKey: old)
                removed.append(old)
            }
            // A file loaded again only because of `recheckAll` is not a change.
            let unchanged = self.byName[definition.name]?.version == definition.version
            self.nameOfFile[file] = definition.name
            self.byName[definition.name] = definition
            self.errors.removeValue(forKey: file)
            if !unchanged { changed.append(definition.name) }
            if !definition.warnings.isEmpty {
                warnings.append(FileLoadError(file: file, message: DefinitionErrors(definition.warnings).description))
            }
        }
        let errorList = self.errors.keys.sorted().map { FileLoadError(file: $0, message: self.errors[$0]!) }
        return ReloadReport(
            loaded: self.byName.count, changed: changed, removed: removed, errors: errorList, warnings: warnings)
    }
}
