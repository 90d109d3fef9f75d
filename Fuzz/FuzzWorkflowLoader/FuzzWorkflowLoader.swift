import Engine
import Foundation
import FuzzSupport

// Input: a workflow file's text. It is loaded as `fuzz.json` when it starts with `{` (JSON rules) and as
// `fuzz.yaml` otherwise, through the loader `triggerctl validate` and the daemon use, then checked against
// itself for name and path clashes. Properties: the result is a definition or diagnostics (each with a
// message and a position), never a crash, hang or unbounded allocation.

let loader = WorkflowLoader(knownSecrets: ["GITHUB_SECRET", "TOKEN"], defaultTimeZone: "UTC")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // `load(path:)` refuses invalid UTF-8 before parsing, so only valid text reaches the parser.
    guard let source = String(validating: FuzzDriver.bytes(data, size), as: UTF8.self) else { return 0 }
    let file = source.first == "{" ? "fuzz.json" : "fuzz.yaml"
    do {
        let definition = try loader.load(source: source, file: file, defaultName: "fuzz")
        var set = WorkflowSetChecker()
        fuzzCheck(set.add(definition).isEmpty, "a lone workflow clashes with nothing")
        fuzzCheck(!set.add(definition).isEmpty, "a workflow added twice must clash on its name")
    } catch {
        fuzzCheck(!error.diagnostics.isEmpty, "a load error without diagnostics")
        for diagnostic in error.diagnostics {
            fuzzCheck(!diagnostic.message.isEmpty, "a diagnostic without a message")
            fuzzCheck(diagnostic.location.line >= 1, "diagnostic line \(diagnostic.location.line)")
        }
    }
    return 0
}

@_cdecl("FuzzWorkflowLoader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Globals are made before fuzzing starts, so the leak check does not count them against the first input.
    _ = loader
    return FuzzDriver.run(argc, argv, fuzzOne)
}
