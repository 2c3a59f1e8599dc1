import COpenSSL

/// An OpenSSL context: certificates and policy shared by every TLS connection of one
/// listener (server) or one client configuration. TLS 1.2 is the minimum.
///
/// `@unchecked Sendable`: the `SSL_CTX` is configured fully in `init` and only read
/// afterwards (`SSL_new`), which OpenSSL documents as safe across threads.
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    public let isServer: Bool
    let verifiesPeer: Bool

    /// A server context from PEM files: the certificate chain and its private key.
    public init(certificateChainFile: String, privateKeyFile: String) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .openSSL("SSL_CTX_new") }
        self.context = context
        isServer = true
        verifiesPeer = false
        try configureCommon()
        guard SSL_CTX_use_certificate_chain_file(context, certificateChainFile) == 1 else {
            throw .openSSL("cannot load certificate chain \(certificateChainFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw .openSSL("cannot load private key \(privateKeyFile)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .openSSL("private key \(privateKeyFile) does not match the certificate")
        }
    }

    /// A client context. With `verifyPeer`, the server's certificate must chain to the
    /// system's roots or to `trustedCertificateFile`, and match the host name.
    public init(clientVerifyingPeer verifyPeer: Bool = true, trustedCertificateFile: String? = nil) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .openSSL("SSL_CTX_new") }
        self.context = context
        isServer = false
        verifiesPeer = verifyPeer
        try configureCommon()
        if verifyPeer {
            if let trustedCertificateFile {
                guard SSL_CTX_load_verify_locations(context, trustedCertificateFile, nil) == 1 else {
                    throw .openSSL("cannot load trusted certificate \(trustedCertificateFile)")
                }
            } else {
                SSL_CTX_set_default_verify_paths(context)
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
    }

    private func configureCommon() throws(TLSError) {
        guard atrium_SSL_CTX_set_min_proto_version(context, atrium_TLS1_2_VERSION()) == 1 else {
            throw .openSSL("cannot require TLS 1.2")
        }
        // Release read/write buffers while idle: thousands of quiet connections.
        _ = atrium_SSL_CTX_set_mode(context, atrium_SSL_MODE_RELEASE_BUFFERS())
    }

    deinit {
        SSL_CTX_free(context)
    }
}
