import Testing

@testable import TriggerCtl

@Suite struct TextTableTests {
    @Test func padsColumnsToTheWidestCellAndTrimsLineEnds() {
        var table = TextTable(["ID", "STATUS", "NOTE"])
        table.add(["r1", "completed", ""])
        table.add(["run-22", "failed", "exit 1"])
        #expect(
            table.render() == """
                ID      STATUS     NOTE
                r1      completed
                run-22  failed     exit 1

                """
        )
    }

    @Test func styledCellsAreMeasuredByTheirPlainText() {
        let palette = Palette(enabled: true)
        var table = TextTable([])
        table.add([TextTable.Cell("ok", rendered: palette.paint("ok", .green)), "a"])
        table.add(["failed", "b"])
        #expect(table.render(palette) == "\u{1B}[32mok\u{1B}[0m      a\nfailed  b\n")
    }

    @Test func rightAlignedColumnsPadOnTheLeft() {
        var table = TextTable(["N", "NAME"])
        table.rightAligned = [0]
        table.add(["7", "a"])
        table.add(["120", "b"])
        #expect(table.render() == "  N  NAME\n  7  a\n120  b\n")
    }

    @Test func theHeaderIsBoldOnlyWithColour() {
        var table = TextTable(["A"])
        table.add(["x"])
        #expect(table.render(Palette(enabled: true)) == "\u{1B}[1mA\u{1B}[0m\nx\n")
        #expect(table.render(.plain) == "A\nx\n")
    }
}
