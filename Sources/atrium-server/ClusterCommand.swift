import ArgumentParser
import AtriumCluster

/// `atrium-server cluster …`: tools for running several servers as one event.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Tools for running several servers as one event.",
        subcommands: [NginxConfigCommand.self])
}

/// `atrium-server cluster nginx-config --node a=10.0.0.1:8080 --node b=10.0.0.2:8080`:
/// prints the nginx configuration that routes `/` and the seat endpoint to any node and
/// each node's WebSocket path to that node.
struct NginxConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx-config",
        abstract: "Print the nginx configuration in front of the cluster's nodes.",
        discussion: """
            Without --standalone the output belongs in /etc/nginx/conf.d/atrium.conf (inside \
            nginx's http block). With --standalone PREFIX it is a whole nginx.conf for \
            `nginx -p PREFIX -c FILE`, keeping pid, logs and temporary files under PREFIX.
            """)

    @Option(name: .customLong("node"), help: "A node as NAME=HOST:PORT (or NAME=HOST:PORT@SERVER-NAME for --tls passthrough); repeat for each.")
    var nodes: [String] = []
    @Option(help: "Where nginx listens: HOST:PORT or a port. (default: 80, or 443 with TLS)") var listen: String?
    @Option(help: "TLS: none (plain HTTP), terminate (with --tls-cert and --tls-key) or passthrough (by SNI to nodes that terminate it). (default: none, or terminate when a certificate is given)")
    var tls: String?
    @Option(help: "PEM certificate chain nginx presents (terminate).") var tlsCert: String?
    @Option(help: "PEM private key (terminate).") var tlsKey: String?
    @Option(help: "server_name of the public site. (default: _ , any)") var serverName = "_"
    @Option(help: "Print a whole nginx.conf keeping its files under this folder.") var standalone: String?

    func run() throws {
        let parsed: [NginxConfig.Node]
        do {
            parsed = try nodes.map { (text: String) throws(NginxConfig.Problem) in try NginxConfig.parseNode(text) }
        } catch {
            throw ValidationError(error.description)
        }
        let mode: NginxConfig.Mode
        switch tls ?? (tlsCert == nil ? "none" : "terminate") {
        case "none": mode = .plain
        case "passthrough": mode = .passThrough
        case "terminate":
            guard let tlsCert, let tlsKey else { throw ValidationError("--tls terminate needs --tls-cert and --tls-key") }
            mode = .terminate(certificate: tlsCert, key: tlsKey)
        case let other: throw ValidationError("--tls takes none, terminate or passthrough, not \(other)")
        }
        let config = NginxConfig(nodes: parsed, listen: listen ?? (mode == .plain ? "80" : "443"), mode: mode,
                                 serverName: serverName, standalonePrefix: standalone)
        do {
            print(try config.render(), terminator: "")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
