import COpenSSL

/// TLS for one connection over memory BIOs: ciphertext from the socket goes in,
/// plaintext comes out, and the reverse for writes. The socket layer stays the same with
/// or without TLS, and the handshake is non-blocking by construction.
final class TLSSession {
    private let ssl: OpaquePointer
    private let networkIn: OpaquePointer
    private let networkOut: OpaquePointer
    let isClient: Bool
    private(set) var failed = false
    private(set) var peerClosed = false
    private var handshakeComplete = false
    /// Plaintext written before the handshake finished; sent once it does.
    private var pending: [UInt8] = []

    init?(context: TLSContext, serverName: String? = nil) {
        guard let ssl = SSL_new(context.context),
              let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else { return nil }
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        isClient = !context.isServer
        SSL_set_bio(ssl, networkIn, networkOut)
        if isClient {
            SSL_set_connect_state(ssl)
            if let serverName {
                _ = atrium_SSL_set_tlsext_host_name(ssl, serverName)
                if context.verifiesPeer { SSL_set1_host(ssl, serverName) }
            }
        } else {
            SSL_set_accept_state(ssl)
        }
    }

    deinit {
        SSL_free(ssl)  // also frees both BIOs
    }

    func startHandshake() {
        advanceHandshake()
    }

    /// Feeds ciphertext and hands every plaintext record to `deliver`.
    func receive(_ ciphertext: UnsafeRawBufferPointer, deliver: (UnsafeRawBufferPointer) -> Void) {
        guard !failed else { return }
        if !ciphertext.isEmpty {
            BIO_write(networkIn, ciphertext.baseAddress, Int32(ciphertext.count))
        }
        if !handshakeComplete {
            advanceHandshake()
            guard handshakeComplete else { return }
        }
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 1) { buffer in
            while true {
                ERR_clear_error()
                let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
                if count > 0 {
                    deliver(UnsafeRawBufferPointer(rebasing: buffer[0..<Int(count)]))
                    continue
                }
                switch SSL_get_error(ssl, count) {
                case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                    return
                case SSL_ERROR_ZERO_RETURN:
                    peerClosed = true
                    return
                default:
                    failed = true
                    return
                }
            }
        }
    }

    func encrypt(_ plaintext: UnsafeRawBufferPointer) {
        guard !failed else { return }
        guard handshakeComplete else {
            pending.append(contentsOf: plaintext)
            return
        }
        ERR_clear_error()
        // Memory BIOs grow as needed, so one SSL_write takes everything.
        if SSL_write(ssl, plaintext.baseAddress, Int32(plaintext.count)) <= 0 { failed = true }
    }

    /// Moves ciphertext waiting in the output BIO to the socket's queue.
    func drainCiphertext(_ sink: (UnsafeRawBufferPointer) -> Void) {
        var data: UnsafeMutablePointer<CChar>?
        let length = atrium_BIO_get_mem_data(networkOut, &data)
        guard length > 0, let data else { return }
        sink(UnsafeRawBufferPointer(start: data, count: length))
        _ = atrium_BIO_reset(networkOut)
    }

    /// Queues close_notify.
    func shutdown() {
        guard handshakeComplete, !failed else { return }
        ERR_clear_error()
        SSL_shutdown(ssl)
    }

    private func advanceHandshake() {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            handshakeComplete = true
            if !pending.isEmpty {
                let waiting = pending
                pending = []
                waiting.withUnsafeBytes { encrypt($0) }
            }
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        default:
            failed = true
        }
    }
}
