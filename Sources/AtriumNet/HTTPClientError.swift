/// Why an ``HTTPClient`` request got no response.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case unresolvableHost(String)
    case connectionFailed(SocketError)
    case tls(String)
    /// No complete response within the request's timeout.
    case timedOut
    /// The status line or a header broke HTTP/1.1, or the head passed its limit.
    case malformedHead(HTTPParseError)
    /// The body would pass ``HTTPClient/Options/maxBodyBytes``.
    case bodyTooLarge(limit: Int)
    /// A framing this client does not speak (a `Transfer-Encoding`): it asks with
    /// `Connection: close` and expects `Content-Length` or a body up to the close.
    case unsupportedFraming(String)
    /// The connection ended before the response did.
    case closedEarly

    public var description: String {
        switch self {
        case .unresolvableHost(let host): return "cannot resolve host \(host)"
        case .connectionFailed(let error): return "connection failed: \(error)"
        case .tls(let message): return "TLS: \(message)"
        case .timedOut: return "timed out"
        case .malformedHead(let error): return "malformed response head: \(error)"
        case .bodyTooLarge(let limit): return "response body over \(limit) bytes"
        case .unsupportedFraming(let framing): return "unsupported response framing: \(framing)"
        case .closedEarly: return "the connection closed before the response was complete"
        }
    }
}
