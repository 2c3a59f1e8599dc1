/// A response to write: status, headers and a body held in memory or read from a file.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// `length` bytes of the file from `offset`, streamed as the socket drains.
        case file(path: String, offset: Int, length: Int)

        var length: Int {
            switch self {
            case .bytes(let bytes): return bytes.count
            case .file(_, _, let length): return length
            }
        }
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body
    /// For HEAD: the headers describe the body, which is not sent.
    public var omitsBody = false

    public init(status: Int, headers: HTTPHeaders = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body, e.g. the health check or an error with a stable code.
    public static func json(_ status: Int, _ json: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers.replace("Content-Type", "application/json; charset=utf-8")
        headers.replace("Cache-Control", "no-store")
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(json.utf8)))
    }

    /// The error shape of the wire contract: `{"type":"error","code":…,"message":…}`.
    public static func error(_ status: Int, code: String, message: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        json(status, #"{"type":"error","code":"\#(code)","message":"\#(JSONText.escape(message))"}"#, headers: headers)
    }

    /// The status line and headers, with Content-Length and Connection filled in.
    func head(keepAlive: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        // Length and persistence are this layer's to state, except that a 101 carries the
        // upgrade's own `Connection: Upgrade`.
        for header in headers where header.name.lowercased() != "content-length"
            && (status == 101 || header.name.lowercased() != "connection") {
            text += "\(header.name): \(header.value)\r\n"
        }
        if status != 304 && status != 101 && !(100..<200).contains(status) && status != 204 {
            text += "Content-Length: \(body.length)\r\n"
        }
        if status != 101 {
            text += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 416: return "Range Not Satisfiable"
        case 421: return "Misdirected Request"
        case 426: return "Upgrade Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }
}

/// JSON string escaping for the few bodies this layer writes by hand.
public enum JSONText {
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
