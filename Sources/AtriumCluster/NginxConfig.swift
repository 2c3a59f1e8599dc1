/// The nginx configuration in front of a cluster, printed by
/// `atrium-server cluster nginx-config`. Pure text from a list of nodes.
///
/// - `/api/seat`, `/`, static files and maps go to any node (round robin); a node that
///   is down or draining (503) is skipped and the next one asked, which is safe because
///   these requests are GETs and every node answers them the same way.
/// - `/node/NAME/…` goes to that node only, with the prefix stripped: that is the
///   WebSocket path a seat names. No retry on another node: a WebSocket belongs to the
///   node that hosts its room, and the node checks the seat anyway.
/// - `/metrics` is refused: nodes serve it to loopback, and through the proxy everything
///   would look like loopback. Scrape each node directly.
/// - TLS is terminated here (`certificate` and `key` given) with plain HTTP to the nodes
///   on a private network, or passed through by SNI (``Mode/passThrough``), each node
///   then terminating TLS itself under its own host name; path routing is impossible on
///   encrypted bytes, so a seat then names the node's own URL.
public struct NginxConfig: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var name: String
        /// `host:port` the node listens on, as nginx reaches it.
        public var address: String
        /// The node's own host name, for TLS pass-through (SNI).
        public var serverName: String?

        public init(name: String, address: String, serverName: String? = nil) {
            self.name = name
            self.address = address
            self.serverName = serverName
        }
    }

    public enum Mode: Sendable, Equatable {
        /// Plain HTTP on `listen` (behind another TLS terminator, or for tests).
        case plain
        /// nginx terminates TLS with these PEM files.
        case terminate(certificate: String, key: String)
        /// nginx routes TLS connections by SNI without decrypting them.
        case passThrough
    }

    public var nodes: [Node]
    /// `host:port` or a port nginx listens on.
    public var listen: String
    public var mode: Mode
    /// Public host name(s) for `server_name`; `_` for any.
    public var serverName: String
    /// When set, a whole nginx.conf to run as `nginx -p PREFIX -c FILE` (pid, logs and
    /// temporary files under the prefix, in the foreground), as the tests do; otherwise
    /// a file for `/etc/nginx/conf.d/` (inside the `http` block).
    public var standalonePrefix: String?
    /// Seconds an idle WebSocket stays open through the proxy; above the server's ping
    /// interval so pings keep it alive.
    public var webSocketIdleSeconds: Int

    public init(nodes: [Node], listen: String, mode: Mode = .plain, serverName: String = "_", standalonePrefix: String? = nil,
                webSocketIdleSeconds: Int = 3600) {
        self.nodes = nodes
        self.listen = listen
        self.mode = mode
        self.serverName = serverName
        self.standalonePrefix = standalonePrefix
        self.webSocketIdleSeconds = webSocketIdleSeconds
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noNodes
        case badNodeName(String)
        case duplicateNode(String)
        case badAddress(String)
        case missingServerName(String)

        public var description: String {
            switch self {
            case .noNodes: return "name at least one node (--node NAME=HOST:PORT)"
            case .badNodeName(let name): return "\"\(name)\" is not a node name (lower-case letters, digits and -, starting with a letter)"
            case .duplicateNode(let name): return "node \(name) is named twice"
            case .badAddress(let address): return "\"\(address)\" is not HOST:PORT"
            case .missingServerName(let name): return "TLS pass-through routes by host name: give node \(name) one (NAME=HOST:PORT@SERVER-NAME)"
            }
        }
    }

    /// Reads `NAME=HOST:PORT` or `NAME=HOST:PORT@SERVER-NAME`.
    public static func parseNode(_ text: String) throws(Problem) -> Node {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw .badAddress(text) }
        let target = parts[1].split(separator: "@", maxSplits: 1).map(String.init)
        return Node(name: parts[0], address: target[0], serverName: target.count == 2 ? target[1] : nil)
    }

    public func validate() throws(Problem) {
        guard !nodes.isEmpty else { throw .noNodes }
        var seen: Set<String> = []
        for node in nodes {
            guard NodeName.isValid(node.name) else { throw .badNodeName(node.name) }
            guard seen.insert(node.name).inserted else { throw .duplicateNode(node.name) }
            guard Self.isAddress(node.address) else { throw .badAddress(node.address) }
            if mode == .passThrough && (node.serverName ?? "").isEmpty { throw .missingServerName(node.name) }
        }
        guard Self.isAddress(listen) || UInt16(listen) != nil else { throw .badAddress(listen) }
    }

    /// HOST:PORT with a port and a host of characters nginx takes unquoted.
    static func isAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else { return false }
        let host = text[..<colon]
        return !host.isEmpty && host.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || ".-:[]".utf8.contains(byte)
        }
    }

    public func render() throws(Problem) -> String {
        try validate()
        var lines: [String] = ["# Atrium cluster: generated by `atrium-server cluster nginx-config`; see README \"Several servers\"."]
        if let prefix = standalonePrefix {
            if mode == .passThrough { lines.append("load_module modules/ngx_stream_module.so;") }
            lines += [
                "worker_processes 1;",
                "pid \(prefix)/nginx.pid;",
                "error_log \(prefix)/error.log warn;",
                "daemon off;",
                "events { worker_connections 4096; }",
                "",
            ]
        }
        if mode == .passThrough {
            lines += streamBlock()
            if standalonePrefix != nil { lines += ["http {", "    access_log off;", "}"] }
            return lines.joined(separator: "\n") + "\n"
        }
        let body = httpBody()
        if let prefix = standalonePrefix {
            lines.append("http {")
            lines += [
                "access_log off;",
                "client_body_temp_path \(prefix)/client_body;",
                "proxy_temp_path \(prefix)/proxy;",
                "fastcgi_temp_path \(prefix)/fastcgi;",
                "uwsgi_temp_path \(prefix)/uwsgi;",
                "scgi_temp_path \(prefix)/scgi;",
            ].map { "    " + $0 }
            lines += body.map { $0.isEmpty ? $0 : "    " + $0 }
            lines.append("}")
        } else {
            lines += body
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func upstreamName(_ node: Node) -> String { "atrium_node_" + node.name.replacingDashes }

    private func httpBody() -> [String] {
        var lines = [
            "map $http_upgrade $atrium_connection {",
            "    default upgrade;",
            "    ''      close;",
            "}",
            "",
            "# Any node: the seat endpoint, the browser client, maps and health checks.",
            "upstream atrium_any {",
        ]
        lines += nodes.map { "    server \($0.address) max_fails=1 fail_timeout=5s;" }
        lines += ["    keepalive 32;", "}"]
        for node in nodes {
            lines += ["", "# Node \(node.name): the WebSockets of the rooms it hosts.", "upstream \(upstreamName(node)) {",
                      "    server \(node.address);", "}"]
        }
        lines += ["", "server {"]
        switch mode {
        case .terminate(let certificate, let key):
            lines += ["    listen \(listen) ssl;", "    ssl_certificate \(certificate);", "    ssl_certificate_key \(key);",
                      "    ssl_protocols TLSv1.2 TLSv1.3;"]
        case .plain, .passThrough:
            lines.append("    listen \(listen);")
        }
        lines += [
            "    server_name \(serverName);",
            "    client_max_body_size 1m;",
            "    proxy_http_version 1.1;",
            "    proxy_set_header Host $http_host;",
            "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    proxy_set_header X-Forwarded-Proto $scheme;",
            "",
            "    # Each node serves its figures to loopback only; through here everything would be loopback.",
            "    location = /metrics { return 403; }",
            "    location ~ ^/node/[^/]+/metrics$ { return 403; }",
            "",
        ]
        for node in nodes {
            lines += [
                "    location /node/\(node.name)/ {",
                "        proxy_pass http://\(upstreamName(node))/;",
                "        proxy_set_header Upgrade $http_upgrade;",
                "        proxy_set_header Connection $atrium_connection;",
                "        proxy_read_timeout \(webSocketIdleSeconds)s;",
                "        proxy_send_timeout \(webSocketIdleSeconds)s;",
                "        proxy_buffering off;",
                "    }",
            ]
        }
        lines += [
            "",
            "    location / {",
            "        proxy_pass http://atrium_any;",
            "        proxy_set_header Connection \"\";",
            "        proxy_next_upstream error timeout http_502 http_503;",
            "        proxy_next_upstream_tries \(nodes.count);",
            "    }",
            "}",
        ]
        return lines
    }

    private func streamBlock() -> [String] {
        var lines = ["stream {", "    map $ssl_preread_server_name $atrium_backend {"]
        for node in nodes { lines.append("        \(node.serverName ?? node.name) \(upstreamName(node));") }
        lines += ["        default atrium_any;", "    }", "    upstream atrium_any {"]
        lines += nodes.map { "        server \($0.address) max_fails=1 fail_timeout=5s;" }
        lines.append("    }")
        for node in nodes { lines += ["    upstream \(upstreamName(node)) {", "        server \(node.address);", "    }"] }
        lines += ["    server {", "        listen \(listen);", "        ssl_preread on;", "        proxy_pass $atrium_backend;",
                  "        proxy_timeout \(webSocketIdleSeconds)s;", "    }", "}"]
        return lines
    }
}

extension String {
    fileprivate var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
