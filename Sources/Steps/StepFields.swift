public import Engine

/// Reading typed values out of an evaluated `with:` object, with errors that name the field.
public enum StepFields {
    /// A duration given as text (`30s`) or seconds; nil when absent.
    public static func duration(_ value: JSONValue?, field: String) throws -> Double? {
        switch value ?? .null {
        case .null: return nil
        case .number(let n) where n >= 0: return n
        case .string(let s):
            do {
                return try DurationText.parse(s)
            } catch {
                throw StepFailure("'with.\(field)': \(error.description)", retryable: false)
            }
        case let other:
            throw StepFailure("'with.\(field)' must be a duration such as '30s', not \(other.jsonString())", retryable: false)
        }
    }

    /// A list of strings; a single string counts as a list of one.
    public static func strings(_ value: JSONValue?, field: String) throws -> [String] {
        switch value ?? .null {
        case .null: return []
        case .string(let s): return [s]
        case .array(let items):
            return try items.map {
                guard let s = $0.stringValue else {
                    throw StepFailure("'with.\(field)' must be a list of strings", retryable: false)
                }
                return s
            }
        default: throw StepFailure("'with.\(field)' must be a list of strings", retryable: false)
        }
    }

    /// An object of string values (environment variables, headers).
    public static func stringMap(_ value: JSONValue?, field: String) throws -> [String: String] {
        switch value ?? .null {
        case .null: return [:]
        case .object(let o):
            var out: [String: String] = [:]
            for (k, v) in o {
                switch v {
                case .string(let s): out[k] = s
                case .null: continue
                default: out[k] = v.interpolated
                }
            }
            return out
        default: throw StepFailure("'with.\(field)' must be an object of names to values", retryable: false)
        }
    }
}
