import Foundation
import Testing

@testable import Engine

/// Every file in Tests/Fixtures/workflows/invalid has a `.expected` file with its exact diagnostics (user
/// interface: compared to the letter). Directories are validated as a set (cross-file checks).
@Suite("invalid workflow fixtures")
struct WorkflowFixtureTests {
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/workflows/invalid").path

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasSuffix(".expected") }.sorted()
    }

    @Test func thereAreAtLeastThirtyFixtures() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func fixtureGivesItsExactDiagnostics(_ name: String) throws {
        let path = Self.directory + "/" + name
        let expected = try String(contentsOfFile: path + ".expected", encoding: .utf8)
        let results = WorkflowValidator.validate(paths: [path])
        let lines = results.flatMap(\.diagnostics).map { $0.replacingOccurrences(of: Self.directory + "/", with: "") }
        #expect(lines.joined(separator: "\n") + "\n" == expected)
        #expect(!lines.isEmpty)
    }

    @Test func theExamplesInEtcAreValid() throws {
        let etc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/workflows").path
        let results = WorkflowValidator.validate(paths: [etc])
        #expect(results.count >= 5)
        for result in results {
            #expect(result.diagnostics.isEmpty, "\(result.path): \(result.diagnostics)")
        }
    }
}
