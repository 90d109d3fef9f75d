import Foundation
import Steps
import Testing

/// Streaming mode, as used for Server-Sent Events.
@Suite struct CurlTransportStreamTests {
    @Test func chunksArriveInOrderWhileTheResponseIsStillOpen() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let (chunks, sink) = AsyncStream.makeStream(of: [UInt8].self)
        let streaming = Task {
            defer { sink.finish() }
            return try await transport.stream(HTTPStepRequest(url: server.url("/sse?n=4"))) { sink.yield($0) }
        }
        var received: [UInt8] = []
        var released = false
        for await chunk in chunks {
            received += chunk
            // The server holds events 1...3 until /release: reaching this line proves event 0 was
            // delivered before the response ended.
            if !released, String(decoding: received, as: UTF8.self) == "data: 0\n\n" {
                released = true
                #expect(try await transport.send(HTTPStepRequest(url: server.url("/release"))).status == 200)
            }
        }
        let response = try await streaming.value
        #expect(released)
        #expect(String(decoding: received, as: UTF8.self) == "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\n")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/event-stream")
        #expect(response.body.isEmpty)
    }

    @Test func cancellingAStreamStopsIt() async throws {
        let server = try await CurlTransportTestServer.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let (chunks, sink) = AsyncStream.makeStream(of: [UInt8].self)
        // No /release: the server keeps the stream open after event 0 until the client goes away.
        let streaming = Task {
            try await transport.stream(HTTPStepRequest(url: server.url("/sse?n=2"), timeout: 0)) { sink.yield($0) }
        }
        var iterator = chunks.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "data: 0\n\n")
        streaming.cancel()
        await #expect(throws: CancellationError.self) { try await streaming.value }
        #expect(transport.activeTransfers == 0)
    }
}
