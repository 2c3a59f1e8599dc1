internal import AtriumNet
import Synchronization

/// The serial queues clients run on. Each client's socket, timers and events use one of
/// them, so a client costs no thread of its own: a harness runs thousands of bots on a
/// few of these, one per core it may use.
///
/// Clients made without their own share ``shared``. TLS settings are loaded once per
/// set of queues, however many clients use them.
public final class ClientQueues: Sendable {
    let group: IOQueueGroup
    private let tlsContexts = Mutex<[ClientTLS: TLSContext]>([:])

    /// - Parameters:
    ///   - count: how many serial queues; by default one per processor this process may
    ///     run on (its `taskset` affinity).
    ///   - timeoutResolution: how often the transport checks its timeouts (connecting,
    ///     the close handshake): they fire up to this late.
    public init(count: Int? = nil, timeoutResolution: Duration = .milliseconds(100)) {
        group = IOQueueGroup(count: count, sweepInterval: timeoutResolution)
    }

    /// The queues of every client whose configuration names no others; made on first use.
    public static let shared = ClientQueues()

    /// How many serial queues there are.
    public var count: Int { group.queues.count }

    /// The OpenSSL context for `tls`, made on first use and shared from then on.
    func tlsContext(for tls: ClientTLS) -> Result<TLSContext, TLSError> {
        tlsContexts.withLock { contexts in
            if let existing = contexts[tls] { return .success(existing) }
            do throws(TLSError) {
                let made = try TLSContext(clientVerifyingPeer: tls.verifiesPeer, trustedCertificateFile: tls.trustedCertificateFile)
                contexts[tls] = made
                return .success(made)
            } catch {
                return .failure(error)
            }
        }
    }
}
