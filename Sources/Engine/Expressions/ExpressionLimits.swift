/// Bounds that keep hostile or mistaken expressions from hanging the daemon or exhausting memory.
///
/// Parsing is bounded by `maxSourceLength` and `maxDepth`; evaluation by `maxSteps` (one per syntax
/// node evaluated, plus a share for work proportional to the size of values that functions and
/// operators walk) and by `maxResultBytes` for every string or list an expression builds. All strings
/// and lists built during one evaluation may add up to at most eight times `maxResultBytes`.
public struct ExpressionLimits: Sendable, Hashable {
    /// Longest expression text (between `{{` and `}}`), in Unicode scalars. Literal template text is not limited.
    public var maxSourceLength: Int
    /// Deepest nesting of brackets, calls, unary operators and ternaries.
    public var maxDepth: Int
    /// Most evaluation steps one evaluation may take.
    public var maxSteps: Int
    /// Largest string (UTF-8 bytes) or list (elements × 16) one operation may build.
    public var maxResultBytes: Int

    /// Makes limits; every value defaults to the standard one.
    public init(
        maxSourceLength: Int = 10_000,
        maxDepth: Int = 64,
        maxSteps: Int = 100_000,
        maxResultBytes: Int = 1 << 20
    ) {
        self.maxSourceLength = maxSourceLength
        self.maxDepth = maxDepth
        self.maxSteps = maxSteps
        self.maxResultBytes = maxResultBytes
    }

    /// 10 000 characters of source, nesting 64, 100 000 steps, 1 MiB per built value.
    public static let standard = ExpressionLimits()

    /// Budget for everything built during one evaluation, so many medium-sized values cannot add up.
    var maxTotalBytes: Int {
        self.maxResultBytes.multipliedReportingOverflow(by: 8).overflow ? Int.max : self.maxResultBytes * 8
    }
}
