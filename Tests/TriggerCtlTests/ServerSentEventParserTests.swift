import Testing

@testable import TriggerCtl

@Suite struct ServerSentEventParserTests {
    @Test func eventsSplitAcrossChunksAreReassembled() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("id: 7\nevent: run.started\nda".utf8)) == [])
        #expect(
            parser.feed(Array("ta: {\"seq\":7}\n\n".utf8))
                == [ServerSentEvent(id: "7", event: "run.started", data: "{\"seq\":7}")]
        )
    }

    @Test func crlfLineEndsWorkEvenWhenSplitBetweenChunks() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: a\r".utf8)) == [])
        #expect(
            parser.feed(Array("\ndata: b\r\n\r\n".utf8)) == [ServerSentEvent(id: nil, event: "message", data: "a\nb")]
        )
    }

    @Test func commentsAndBlocksWithoutDataDispatchNothing() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array(": keep-alive\n\nevent: ping\n\nretry: 10\n\n".utf8)) == [])
    }

    @Test func theEventNameResetsButTheIdCarriesOver() {
        var parser = ServerSentEventParser()
        let events = parser.feed(Array("id: 1\nevent: x\ndata: 1\n\ndata:2\n\n".utf8))
        #expect(
            events == [
                ServerSentEvent(id: "1", event: "x", data: "1"), ServerSentEvent(id: "1", event: "message", data: "2"),
            ]
        )
    }

    @Test func aJSONErrorBodyYieldsNoEvents() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("{\"error\":{\"code\":\"not_found\",\"message\":\"no run\"}}".utf8)) == [])
    }
}
