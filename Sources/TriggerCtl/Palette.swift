/// ANSI styling for human output, or none at all when stdout is not a terminal or `NO_COLOR` is set.
struct Palette: Sendable, Equatable {
    /// The styles `triggerctl` uses.
    enum Style: String, Sendable {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    /// Whether escape sequences are written.
    let enabled: Bool

    /// A palette that never styles; what tests and pipes see.
    static let plain = Palette(enabled: false)

    /// `text` wrapped in the style's escape sequence, or unchanged when disabled or `style` is nil.
    func paint(_ text: String, _ style: Style?) -> String {
        guard self.enabled, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// The symbol and style for a run or step status (SPEC §7); unknown statuses get `?`.
    ///
    /// Every symbol is one column wide in a monospace terminal, so tables stay aligned.
    static func mark(forStatus status: String) -> (symbol: String, style: Style?) {
        switch status {
        case "completed": ("✓", .green)
        case "failed": ("✗", .red)
        case "cancelled": ("⊘", .yellow)
        case "running": ("●", .cyan)
        case "pending": ("○", .dim)
        case "waiting": ("◷", .yellow)
        case "retrying": ("↻", .yellow)
        case "skipped": ("–", .dim)
        default: ("?", nil)
        }
    }

    /// The status symbol, styled.
    func mark(_ status: String) -> String {
        let mark = Self.mark(forStatus: status)
        return self.paint(mark.symbol, mark.style)
    }

    /// The status word, styled like its symbol.
    func status(_ status: String) -> String {
        self.paint(status, Self.mark(forStatus: status).style)
    }
}
