import Foundation
import Testing

@testable import Engine

/// Every file in Tests/Fixtures/workflows/warnings loads (no errors) and has a `.expected` file with its exact
/// `warning:` lines (user interface: compared to the letter).
@Suite("workflow fixtures with warnings")
struct WorkflowWarningFixtureTests {
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/workflows/warnings").path

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasSuffix(".expected") }.sorted()
    }

    @Test func thereAreFixtures() {
        #expect(!Self.cases.isEmpty)
    }

    @Test(arguments: cases)
    func fixtureLoadsWithItsExactWarnings(_ name: String) throws {
        let path = Self.directory + "/" + name
        let expected = try String(contentsOfFile: path + ".expected", encoding: .utf8)
        let results = WorkflowValidator.validate(paths: [path])
        #expect(results.flatMap(\.diagnostics).isEmpty)
        let lines = results.flatMap(\.warnings).map { $0.replacingOccurrences(of: Self.directory + "/", with: "") }
        #expect(!lines.isEmpty)
        #expect(lines.joined(separator: "\n") + "\n" == expected)
    }
}
