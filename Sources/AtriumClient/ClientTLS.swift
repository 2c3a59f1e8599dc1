/// How a `wss://` client checks the server's certificate.
public struct ClientTLS: Sendable, Hashable {
    /// Whether the server's certificate must chain to a trusted root and name the host.
    /// Turn off only against a test server of your own.
    public var verifiesPeer: Bool
    /// A PEM file of certificates to trust instead of the system's roots: a private CA,
    /// or a self-signed server's own certificate.
    public var trustedCertificateFile: String?

    /// Settings that check the certificate against the system's roots unless told otherwise.
    public init(verifiesPeer: Bool = true, trustedCertificateFile: String? = nil) {
        self.verifiesPeer = verifiesPeer
        self.trustedCertificateFile = trustedCertificateFile
    }

    /// The system's roots, with the host name checked.
    public static let system = ClientTLS()
}
