import Foundation
import Testing

@testable import Engine

/// Reproducers of what fuzzing (`make fuzz`, docs/proof.md) turned up, fed through the code path the fuzz
/// target uses. Each input is sized so that, should the bug return, the test still ends (slowly) rather than
/// hanging the suite.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// `levels` lines, each a list of ten aliases of the line before: 10^levels nodes once expanded.
    static func aliasBomb(levels: Int, indent: String) -> String {
        var lines = ["\(indent)l0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            let row = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("\(indent)l\(level): &a\(level) [\(row)]")
        }
        return lines.joined(separator: "\n")
    }

    static func loadErrors(_ source: String, file: String = "fuzz.yaml") -> [String] {
        do {
            _ = try WorkflowLoader().load(source: source, file: file, defaultName: "fuzz")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// FuzzWorkflowLoader: nested aliases in a value expanded to 10^n nodes when the loader read the value
    /// (10 lines: hang and memory without bound). Now refused at the first alias, before composing.
    @Test func nestedAliasesInAValueAreRefusedAtTheFirstAlias() {
        let source = """
            name: bomb
            inputs:
              a:
                type: any
                default:
            \(Self.aliasBomb(levels: 6, indent: "      "))
            steps:
              s:
                type: transform
                with: {v: 1}
            """
        #expect(
            Self.loadErrors(source) == [
                "fuzz.yaml:7:16: error: YAML aliases (*name) are not supported; write the value out"
            ])
    }

    /// FuzzWorkflowLoader: aliases used as mapping keys hung inside the YAML composer itself, which hashes
    /// every key to find duplicates (hashing the expanded tree), so the check must run before composing.
    @Test func aliasedMappingKeysAreRefusedBeforeComposing() {
        let source = Self.aliasBomb(levels: 5, indent: "") + "\n? *a4\n: 1\n? *a4\n: 2\n"
        #expect(
            Self.loadErrors(source) == [
                "fuzz.yaml:2:10: error: YAML aliases (*name) are not supported; write the value out"
            ])
    }

    /// An anchor that nothing refers to expands nothing, so it stays allowed.
    @Test func anAnchorWithoutAliasesStillLoads() {
        let source = """
            name: anchored
            steps:
              a:
                type: transform
                with: &w {value: [1, 2, 3]}
            """
        #expect(Self.loadErrors(source) == [])
    }

    /// Quoted and commented `*` and `&` are text, not aliases.
    @Test func asterisksInTextAreNotAliases() {
        let source = """
            name: stars
            # *not an alias
            steps:
              a:
                type: transform
                with: {value: ["*a &b", '*c', a*b, "{{ 2 * 3 }}"]}
            """
        #expect(Self.loadErrors(source) == [])
    }

    /// FuzzExpressions: `parseDate` with a pattern on text where a digit is followed by a combining mark
    /// stopped the process inside Foundation ("Incorrect range"); a webhook body could carry such text.
    @Test(arguments: [
        "parseDate('1\u{301}', 'd')",
        "parseDate('01.05.\u{59C}', 'dd.MM.yyyy')",
        // The fuzzer's original input, with its invalid UTF-8 already repaired to U+FFFD as the target does.
        "parseDate('01.05.\u{59C}\u{FFFD}\u{FFFD}e(048', 'dd.MM.yyy\u{1}\ry:0dd.MM.yyy\u{1}\ry:00')",
    ])
    func parseDateRefusesCombinedCharactersWithAnError(_ source: String) throws {
        let expression = try Expression.parse(source)
        #expect {
            _ = try expression.evaluate(in: ExpressionScope(now: Date(timeIntervalSince1970: 0)))
        } throws: { error in
            "\(error)".contains("the text has combined characters")
        }
    }

    /// Accented text that is one UTF-16 unit per character still parses; emoji and combining marks are no date.
    @Test func untrustedDateParsingNeverTraps() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd.MM.yyyy"
        #expect(formatter.date(fromUntrusted: "01.05.2024") == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(formatter.date(fromUntrusted: "01.05.2\u{301}024") == nil)
        #expect(formatter.date(fromUntrusted: "01.05.2024\u{1F600}") == nil)
        formatter.dateFormat = "dd. MMMM yyyy"
        formatter.locale = Locale(identifier: "de_DE")
        #expect(formatter.date(fromUntrusted: "01. März 2024") == Date(timeIntervalSince1970: 1_709_251_200))
    }

    /// triggerd.yaml goes through the same YAML reader, so it refuses aliases the same way.
    @Test func configurationWithAliasesIsRefused() {
        let source = "timezone: &z UTC\nlog: {level: *z}\n"
        do {
            _ = try ConfigurationLoader.load(source: source, file: "triggerd.yaml")
            Issue.record("a configuration with an alias loaded")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "triggerd.yaml:2:14: error: YAML aliases (*name) are not supported; write the value out"
                ])
        }
    }
}
