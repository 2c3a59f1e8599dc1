import AtriumFuzzInput
import AtriumWebSocket
import FuzzSupport

/// The WebSocket codec against arbitrary bytes: the frame parser in both roles, with and
/// without RSV1 allowed, and the server's state machine with and without
/// permessage-deflate. Each is fed the input whole and in pieces; the outcomes must agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    let chunks = Chunking.split(bytes)
    for role in [WebSocketRole.server, .client] {
        for compression in [false, true] {
            FrameParserCheck.run(bytes, chunks: chunks, role: role, compression: compression)
        }
    }
    for deflate in [false, true] {
        StateMachineCheck.run(bytes, chunks: chunks, deflate: deflate)
    }
    return 0
}

/// libFuzzer drives the run (see `LibFuzzer.run`).
@main enum FuzzFramesMain {
    static func main() {
        LibFuzzer.run { data, size in
            guard let data else { return withUnsafePointer(to: 0 as UInt8) { fuzz($0, 0) } }
            return fuzz(data, size)
        }
    }
}
