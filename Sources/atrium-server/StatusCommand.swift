import ArgumentParser
import AtriumNet
import Foundation

/// `atrium-server status --url …`: rooms, occupancy and tick p99 read from `/metrics`, for
/// a person at a terminal rather than a dashboard.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a running server's rooms and health.")

    @Option(help: "The server's address.") var url = "http://127.0.0.1:8080"

    func run() async throws {
        guard let (host, port) = Self.hostAndPort(url) else { throw ValidationError("--url takes http://HOST:PORT") }
        let metrics: String
        let ready: Bool
        do {
            metrics = try PlainHTTP.get(host: host, port: port, path: "/metrics").body
            ready = try PlainHTTP.get(host: host, port: port, path: "/readyz").status == 200
        } catch {
            printError("atrium-server: cannot reach \(url): \(error)")
            throw ExitCode(1)
        }
        let samples = PrometheusText.parse(metrics)
        let connections = Int(samples.first { $0.name == "atrium_connections_open" }?.value ?? 0)
        let memory = (samples.first { $0.name == "process_resident_memory_bytes" }?.value ?? 0) / 1_048_576
        print("Atrium at \(url): \(connections) connections, \(String(format: "%.1f", memory)) MiB resident, \(ready ? "ready" : "draining")")
        let rooms = Set(samples.compactMap { $0.labels["room"] }).sorted()
        print("room".padding(toLength: 20, withPad: " ", startingAt: 0) + "  avatars  connected   tick p99")
        for room in rooms {
            let avatars = Int(samples.first { $0.name == "atrium_room_avatars" && $0.labels["room"] == room }?.value ?? 0)
            let connected = Int(samples.first { $0.name == "atrium_room_connected" && $0.labels["room"] == room }?.value ?? 0)
            let buckets = samples.filter { $0.name == "atrium_tick_duration_seconds_bucket" && $0.labels["room"] == room }
            let p99 = PrometheusText.quantile(0.99, buckets: buckets).map { $0.isInfinite ? "> 100 ms" : "≤ \(Self.format($0))" } ?? "-"
            print(room.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: "  %7d  %9d  %9@", avatars, connected, p99 as NSString))
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 0.001 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.0f ms", seconds * 1000)
    }

    static func hostAndPort(_ url: String) -> (String, UInt16)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst(7).split(separator: "/").first.map(String.init) ?? ""
        let parts = rest.split(separator: ":")
        guard let host = parts.first.map(String.init) else { return nil }
        let port = parts.count == 2 ? UInt16(parts[1]) : 80
        return port.map { (host, $0) }
    }
}

/// Reading the Prometheus text format, enough for `status`.
enum PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static func parse(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " ") else { return nil }
            let head = line[..<space]
            guard let value = Double(line[line.index(after: space)...]) ?? (line.hasSuffix("+Inf") ? .infinity : nil) else { return nil }
            guard let brace = head.firstIndex(of: "{") else { return Sample(name: String(head), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in head[head.index(after: brace)...].dropLast().split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { labels[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
            }
            return Sample(name: String(head[..<brace]), labels: labels, value: value)
        }
    }

    /// The upper bound of the bucket holding the quantile, from cumulative buckets.
    static func quantile(_ q: Double, buckets: [Sample]) -> Double? {
        let sorted = buckets.compactMap { sample -> (Double, Double)? in
            guard let le = sample.labels["le"] else { return nil }
            return (le == "+Inf" ? .infinity : Double(le) ?? .infinity, sample.value)
        }.sorted { $0.0 < $1.0 }
        guard let total = sorted.last?.1, total > 0 else { return nil }
        return sorted.first { $0.1 >= q * total }?.0
    }
}

/// A blocking HTTP/1.1 GET over a plain socket, for command-line tools.
enum PlainHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func get(host: String, port: UInt16, path: String) throws -> (status: Int, body: String) {
        let ip = host == "localhost" ? "127.0.0.1" : host
        guard let address = SocketAddress(ip: ip, port: port) else { throw Failure(description: "\(host) is not an IP address") }
        let fd = socket(address.family == .ipv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "no socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = address.withSocketAddress { Glibc.connect(fd, $0, $1) }
        guard connected == 0 else { throw Failure(description: String(cString: strerror(errno))) }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 32 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        var parser = HTTPHeadParser()
        bytes.withUnsafeBytes { parser.append($0) }
        guard let head = try parser.nextResponse() else { throw Failure(description: "no HTTP response") }
        return (head.status, String(decoding: parser.takeRemainder(), as: UTF8.self))
    }
}
