import AtriumFuzzInput
import AtriumNet
import FuzzSupport

/// `HTTPHeadParser` against arbitrary bytes, as requests (server) and as responses
/// (client), with the default limits and with small ones that short inputs can reach;
/// each fed whole, in pieces and dripped byte by byte.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputBytes(data, size)
    let feeds = [[bytes], Chunking.split(bytes), Chunking.drip(bytes)]
    for limits in HeadLimits.all {
        RequestCheck.run(feeds, limits: limits)
        ResponseCheck.run(feeds, limits: limits)
    }
    return 0
}

/// libFuzzer drives the run (see `LibFuzzer.run`).
@main enum FuzzHTTPMain {
    static func main() {
        LibFuzzer.run { data, size in
            guard let data else { return withUnsafePointer(to: 0 as UInt8) { fuzz($0, 0) } }
            return fuzz(data, size)
        }
    }
}

struct HeadLimits {
    var maxHeadBytes: Int
    var maxHeaderCount: Int

    static let all = [HeadLimits(maxHeadBytes: 16 * 1024, maxHeaderCount: 100), HeadLimits(maxHeadBytes: 256, maxHeaderCount: 8)]

    func parser() -> HTTPHeadParser {
        HTTPHeadParser(maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount)
    }
}

/// What a feed produced, comparable across feeds.
struct HeadOutcome<Head: Equatable>: Equatable {
    var heads: [Head] = []
    var error: HTTPParseError?
    /// Bytes after the last head; only meaningful when no error stopped the parser.
    var remainder: [UInt8] = []
}

/// Every feed of the same bytes must give the same heads, the same error and the same
/// remainder: a parser that answers differently when a head arrives in pieces lets a
/// client choose its outcome by how it writes.
func requireSameOutcome<Head: Equatable>(_ outcomes: [HeadOutcome<Head>], _ what: String) {
    for outcome in outcomes.dropFirst() {
        require(outcome == outcomes[0], "\(what): feeding in pieces gave \(outcome.heads.count) heads and "
            + "\(String(describing: outcome.error)), the whole input \(outcomes[0].heads.count) and \(String(describing: outcomes[0].error))")
    }
    if let error = outcomes[0].error {
        require([400, 413, 431, 505].contains(error.status), "\(error) maps to status \(error.status)")
    }
}
