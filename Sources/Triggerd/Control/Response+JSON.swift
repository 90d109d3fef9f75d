import Engine
import Hummingbird
import NIOCore

// The edge's only serialisation: Engine types map themselves to `JSONValue` (`X+JSON.swift` in Engine) and the
// control API writes that value, so `triggerctl --json` and the API print the same shapes.
extension Response {
    /// A JSON answer with `value` as its body.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonString()))
        )
    }

    /// The error shape of SPEC §8: `{"error": {"code", "message"}}`.
    static func error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        .json(["error": ["code": .string(code), "message": .string(message)]], status: status)
    }
}
