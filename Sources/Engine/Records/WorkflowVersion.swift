public import Foundation

/// One stored version of a workflow (a row of `workflow_version`): the content hash, where it came from, when the
/// daemon first loaded it, and its source text when asked for one version.
public struct WorkflowVersion: Sendable, Equatable {
    public var version: String
    public var name: String
    public var file: String
    public var firstLoadedAt: Date
    /// The file's text as loaded; nil in lists (`GET /v1/workflows/{name}/versions`), set for one version.
    public var source: String?
    /// Whether this is the version the daemon runs now.
    public var current: Bool

    public init(version: String, name: String, file: String, firstLoadedAt: Date, source: String? = nil, current: Bool = false) {
        self.version = version
        self.name = name
        self.file = file
        self.firstLoadedAt = firstLoadedAt
        self.source = source
        self.current = current
    }

    /// `{"version", "name", "file", "first_loaded_at", "current", "source"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "version": .string(self.version), "name": .string(self.name), "file": .string(self.file),
            "first_loaded_at": .string(Timestamp.format(self.firstLoadedAt)), "current": .bool(self.current),
        ]
        if let source { object["source"] = .string(source) }
        return .object(object)
    }
}
