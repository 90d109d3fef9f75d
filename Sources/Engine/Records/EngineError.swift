/// A request the engine refused, for a reason a person can act on. The edge maps `code` to an HTTP status.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal. Compared by value; the message is for people.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String { case notFound, invalidInput, conflict, forbidden, unavailable, tooBusy, internalError }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The named thing (run, workflow, step) does not exist. HTTP 404.
        public static let notFound = Code(.notFound)
        /// The request is malformed or fails validation. HTTP 400.
        public static let invalidInput = Code(.invalidInput)
        /// The thing exists but is not in a state that allows this (already decided, not waiting). HTTP 409.
        public static let conflict = Code(.conflict)
        /// The caller may not do this (not an allowed approver). HTTP 403.
        public static let forbidden = Code(.forbidden)
        /// The daemon is shutting down. HTTP 503.
        public static let unavailable = Code(.unavailable)
        /// A queue is full; try later. HTTP 429.
        public static let tooBusy = Code(.tooBusy)
        /// Something broke inside; the message says what. HTTP 500.
        public static let `internal` = Code(.internalError)

        public var description: String {
            switch self.base {
            case .notFound: "not_found"
            case .invalidInput: "invalid_input"
            case .conflict: "conflict"
            case .forbidden: "forbidden"
            case .unavailable: "unavailable"
            case .tooBusy: "too_busy"
            case .internalError: "internal"
            }
        }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }

    public static func == (lhs: EngineError, rhs: EngineError) -> Bool { lhs.code == rhs.code }
}
