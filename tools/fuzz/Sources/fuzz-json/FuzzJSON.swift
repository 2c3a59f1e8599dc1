import AtriumProtocol
import FuzzSupport

/// The JSON control messages against arbitrary bytes: `ClientMessages.decode` (what the
/// server reads from every client) and `ServerMessages.decode` (what clients and bots
/// read). A message that decodes must survive encoding and decoding again unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    do {
        let message = try ClientMessages.decode(bytes)
        let encoded = message.encoded()
        let again = try? ClientMessages.decode(encoded)
        require(message.isEqual(to: again), "client message \(message) encodes as \(String(decoding: encoded, as: UTF8.self)), "
            + "which decodes as \(String(describing: again))")
    } catch {
        // The error is what the server answers with; building it must not trap either.
        _ = (error.code, error.message)
    }
    do {
        let message = try ServerMessages.decode(bytes)
        let encoded = message.encoded()
        let again = try? ServerMessages.decode(encoded)
        require(message.isEqual(to: again), "server message \(message) encodes as \(String(decoding: encoded, as: UTF8.self)), "
            + "which decodes as \(String(describing: again))")
    } catch {
        _ = error
    }
    return 0
}

/// libFuzzer drives the run (see `LibFuzzer.run`).
@main enum FuzzJSONMain {
    static func main() {
        LibFuzzer.run { data, size in
            guard let data else { return withUnsafePointer(to: 0 as UInt8) { fuzz($0, 0) } }
            return fuzz(data, size)
        }
    }
}
