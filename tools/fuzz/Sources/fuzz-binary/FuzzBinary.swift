import AtriumProtocol
import FuzzSupport

/// The binary messages against arbitrary bytes: `MoveInput.decode` (every client's
/// high-rate input) and `StateMessage.decode` (what clients read every tick). Both kinds
/// start with 0x01, so every input is tried as both. Whatever decodes must encode back to
/// the very same bytes: two encodings of one value would let the server and the
/// JavaScript client disagree about what a message says.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    if let input = try? MoveInput.decode(bytes) {
        require(input.encoded() == MoveCanonical.form(of: bytes),
                "move input \(input) from \(hex(bytes)) encodes as \(hex(input.encoded()))")
    }
    if let message = try? StateMessage.decode(bytes) {
        require(message.encoded() == bytes, "state message from \(hex(bytes)) encodes as \(hex(message.encoded()))")
        // A tighter entry limit refuses what it must and decodes the rest the same.
        let bounded = try? StateMessage.decode(bytes, maxEntries: 2)
        let fits = [message.entered.count, message.moved.count, message.updated.count, message.left.count].allSatisfy { $0 <= 2 }
        require(fits ? bounded == message : bounded == nil, "maxEntries: 2 decoded \(String(describing: bounded))")
    }
    return 0
}

/// libFuzzer drives the run (see `LibFuzzer.run`).
@main enum FuzzBinaryMain {
    static func main() {
        LibFuzzer.run { data, size in
            guard let data else { return withUnsafePointer(to: 0 as UInt8) { fuzz($0, 0) } }
            return fuzz(data, size)
        }
    }
}

/// The one aliasing the protocol allows (Protocol/README.md): direction (0, 0) "means
/// stop", so it decodes as `.stop` and encodes as mode 0.
enum MoveCanonical {
    static func form(of bytes: [UInt8]) -> [UInt8] {
        if bytes.count == 8 && bytes[5] == 1 && bytes[6] == 0 && bytes[7] == 0 { return Array(bytes[0..<5]) + [0] }
        return bytes
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
