import COpenSSL

/// Makes a throw-away P-256 key and a self-signed certificate for `localhost` (DNS and
/// 127.0.0.1), for tests, benchmarks and trying `wss://` locally. Never for production.
public enum SelfSignedCertificate {
    /// Writes PEM files; the key file is created with mode 0600.
    public static func write(certificatePath: String, keyPath: String, commonName: String = "localhost",
                             validFor seconds: Int = 86_400) throws(TLSError) {
        guard let keyContext = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw .openSSL("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(keyContext) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(keyContext) == 1, EVP_PKEY_CTX_set_group_name(keyContext, "P-256") == 1,
              EVP_PKEY_generate(keyContext, &key) == 1, let key else { throw .openSSL("key generation") }
        defer { EVP_PKEY_free(key) }

        guard let certificate = X509_new() else { throw .openSSL("X509_new") }
        defer { X509_free(certificate) }
        X509_set_version(certificate, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(certificate), Int.random(in: 1...Int(Int32.max)))
        X509_gmtime_adj(X509_getm_notBefore(certificate), -60)
        X509_gmtime_adj(X509_getm_notAfter(certificate), seconds)
        X509_set_pubkey(certificate, key)
        let name = X509_get_subject_name(certificate)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0)
        X509_set_issuer_name(certificate, name)

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        guard let extensionValue = X509V3_EXT_conf_nid(nil, &context, NID_subject_alt_name, "DNS:\(commonName),IP:127.0.0.1,IP:::1") else {
            throw .openSSL("subjectAltName")
        }
        X509_add_ext(certificate, extensionValue, -1)
        X509_EXTENSION_free(extensionValue)
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }

        guard let certificateFile = BIO_new_file(certificatePath, "w") else { throw .openSSL("cannot write \(certificatePath)") }
        defer { BIO_free(certificateFile) }
        guard PEM_write_bio_X509(certificateFile, certificate) == 1 else { throw .openSSL("PEM_write_bio_X509") }

        let descriptor = open(keyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw TLSError("cannot create \(keyPath)") }
        close(descriptor)
        guard let keyFile = BIO_new_file(keyPath, "w") else { throw .openSSL("cannot write \(keyPath)") }
        defer { BIO_free(keyFile) }
        guard PEM_write_bio_PrivateKey(keyFile, key, nil, nil, 0, nil, nil) == 1 else { throw .openSSL("PEM_write_bio_PrivateKey") }
    }
}

#if canImport(Glibc)
import Glibc
#endif
