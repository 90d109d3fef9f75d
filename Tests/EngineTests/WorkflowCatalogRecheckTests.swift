import Engine
import Foundation
import Testing

/// A reload of the secrets changes which files load although no file changed: `recheckAll` makes the next
/// reload look at every file again, and reports as changed only what really changed.
@Suite struct WorkflowCatalogRecheckTests {
    static let hook = """
        name: hook
        triggers:
          - webhook: { path: /hooks/h, verify: { scheme: bearer, secret: "{{ secrets.TOKEN }}" } }
        steps:
          a: { type: transform, with: { value: 1 } }
        """

    @Test func aFileRefusedForAnUnknownSecretLoadsAfterRecheckWithTheSecretKnown() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "catalog-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.hook.write(toFile: directory + "/hook.yaml", atomically: true, encoding: .utf8)
        try "name: plain\nsteps:\n  a: { type: transform, with: { value: 1 } }\n".write(
            toFile: directory + "/plain.yaml",
            atomically: true,
            encoding: .utf8
        )
        var catalog = WorkflowCatalog()

        let first = catalog.reload(directory: directory, loader: WorkflowLoader(knownSecrets: []))
        #expect(first.errors.map(\.file) == ["hook.yaml"])
        #expect(first.errors.first?.message.contains("unknown secret 'TOKEN'") == true)

        // Unchanged files are skipped: knowing the secret alone changes nothing.
        let known = WorkflowLoader(knownSecrets: ["TOKEN"])
        #expect(catalog.reload(directory: directory, loader: known).errors.map(\.file) == ["hook.yaml"])

        catalog.recheckAll()
        let rechecked = catalog.reload(directory: directory, loader: known)
        #expect(rechecked.errors.isEmpty)
        #expect(rechecked.changed == ["hook"], "plain.yaml was loaded again but did not change")
        #expect(catalog.byName.keys.sorted() == ["hook", "plain"])

        // The secret goes away: the file says so, and its last good version stays active.
        catalog.recheckAll()
        let removed = catalog.reload(directory: directory, loader: WorkflowLoader(knownSecrets: []))
        #expect(removed.errors.map(\.file) == ["hook.yaml"])
        #expect(removed.changed.isEmpty)
        #expect(catalog.byName["hook"] != nil)
    }

    /// A file that loads with warnings is active, and the reload that loaded it reports them (the daemon logs them);
    /// a reload that finds the file unchanged does not repeat them.
    @Test func warningsOfLoadedFilesAreReportedOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "catalog-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "triggers:\n  - cron: \"*/61 * * * *\"\nsteps:\n  a: { type: transform, with: { value: 1 } }\n".write(
            toFile: directory + "/tick.yaml", atomically: true, encoding: .utf8)
        var catalog = WorkflowCatalog()

        let first = catalog.reload(directory: directory, loader: WorkflowLoader(knownSecrets: []))
        #expect(first.errors.isEmpty)
        #expect(catalog.byName["tick"] != nil)
        #expect(first.warnings.map(\.file) == ["tick.yaml"])
        #expect(first.warnings.first?.message.hasPrefix("tick.yaml:2:14: warning: cron schedule") == true)
        #expect(catalog.reload(directory: directory, loader: WorkflowLoader(knownSecrets: [])).warnings.isEmpty)
    }
}
