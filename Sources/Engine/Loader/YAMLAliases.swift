import CYaml

/// Finds YAML aliases (`*name`) before a document is composed.
///
/// Workflow and configuration files may not use aliases: Yams resolves each alias into a copy of the anchored
/// node, so ten lines of nested aliases ("billion laughs") stand for 10^10 nodes. Composing such a file
/// already hashes the expanded keys of a mapping, and reading it walks every copy, so the loader would hang or
/// exhaust memory (found by `make fuzz`, FuzzWorkflowLoader). Scanning libyaml's events costs one pass over
/// the text and never expands anything. Anchors alone (`&name`) are harmless and stay allowed.
enum YAMLAliases {
    /// The 1-based line and column of the first alias in `source`, or nil when there is none. A syntax error
    /// ends the scan with nil: the composer then reports it with its own message.
    static func first(in source: String) -> (line: Int, column: Int)? {
        let bytes = Array(source.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                let type = event.type
                let mark = event.start_mark
                yaml_event_delete(&event)
                if type == YAML_ALIAS_EVENT { return (Int(mark.line) + 1, Int(mark.column) + 1) }
                if type == YAML_STREAM_END_EVENT { return nil }
            }
            return nil
        }
    }

    /// The diagnostic for an alias at `location`.
    static func diagnostic(file: String, at location: (line: Int, column: Int)) -> Diagnostic {
        Diagnostic(
            SourceLocation(file: file, line: location.line, column: location.column),
            "YAML aliases (*name) are not supported; write the value out")
    }
}
