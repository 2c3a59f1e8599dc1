import AtriumTestSupport
import Foundation
import Testing
@testable import AtriumNet

/// The small GET client: the response reader fed whole, byte by byte and split at every
/// point, its limits and typed errors, and real requests over loopback with and without TLS.
@Suite struct HTTPClientTests {
    static let json = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}"

    private func read(_ text: String, pieces: [[UInt8]]? = nil, maxBodyBytes: Int = 64 * 1024, atEnd: Bool = false)
        -> Result<HTTPResponseReader.Response?, HTTPClientError>
    {
        var reader = HTTPResponseReader(maxBodyBytes: maxBodyBytes)
        do throws(HTTPClientError) {
            for piece in pieces ?? [Array(text.utf8)] {
                let result = piece.withUnsafeBytes { raw in Result { () throws(HTTPClientError) in try reader.read(raw) } }
                if let response = try result.get() { return .success(response) }
            }
            return .success(atEnd ? try reader.end() : nil)
        } catch {
            return .failure(error)
        }
    }

    @Test func readsAResponseWholeByteByByteAndSplitAnywhere() throws {
        let bytes = Array(Self.json.utf8)
        let whole = try #require(try read(Self.json).get())
        #expect(whole.status == 200 && whole.headers["content-type"] == "application/json" && whole.body == Array(#"{"status":"ok"}"#.utf8))
        #expect(try read("", pieces: bytes.map { [$0] }).get() == whole)
        for split in 1..<bytes.count {
            #expect(try read("", pieces: [Array(bytes[..<split]), Array(bytes[split...])]).get() == whole)
        }
    }

    @Test func aBodyWithoutALengthRunsToTheClose() throws {
        let partial = read("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\nbusy")
        #expect(try partial.get() == nil)
        let response = try #require(try read("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\nbusy", atEnd: true).get())
        #expect(response.status == 503 && response.headers["Retry-After"] == "1" && response.body == Array("busy".utf8))
    }

    @Test func refusesWhatPassesItsLimitsOrItsFraming() {
        #expect(read("HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n") == .failure(.bodyTooLarge(limit: 65536)))
        #expect(read("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 33), maxBodyBytes: 32) == .failure(.bodyTooLarge(limit: 32)))
        #expect(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == .failure(.unsupportedFraming("chunked")))
        #expect(read("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == .failure(.malformedHead(.invalidContentLength)))
        #expect(read("HTTP/1.1 abc OK\r\n\r\n") == .failure(.malformedHead(.malformedStatusLine)))
        #expect(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", atEnd: true) == .failure(.closedEarly))
        #expect(read("HTTP/1.1 200 OK\r\nContent-Len", atEnd: true) == .failure(.closedEarly))
    }

    private func get(_ url: WebSocketURL, group: IOQueueGroup, options: HTTPClient.Options = .init()) async
        -> Result<HTTPClient.Response, HTTPClientError>
    {
        await withCheckedContinuation { continuation in
            HTTPClient.get(url, group: group, options: options) { continuation.resume(returning: $0) }
        }
    }

    @Test func getsFromALoopbackServerAndSaysWhyWhenItCannot() async throws {
        let server = try TestServer()
        let ok = try await get(server.url("/healthz"), group: server.group).get()
        #expect(ok.status == 200 && ok.body == Array(#"{"status":"ok"}"#.utf8))
        let missing = try await get(server.url("/nowhere"), group: server.group).get()
        #expect(missing.status == 404 && String(decoding: missing.body, as: UTF8.self).contains("not_found"))
        await server.stop()
        guard case .failure(.connectionFailed) = await get(server.url("/healthz"), group: server.group) else {
            Issue.record("a stopped server still answered")
            return
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let silent = try RawListener()
        let group = IOQueueGroup(count: 1, sweepInterval: .milliseconds(20))
        let url = WebSocketURL(isSecure: false, host: "127.0.0.1", port: silent.port, target: "/api/seat")
        #expect(await get(url, group: group, options: .init(timeout: .milliseconds(200))) == .failure(.timedOut))
        silent.stop()
    }

    @Test func getsOverTLSTrustingTheServersOwnCertificate() async throws {
        let directory = NSTemporaryDirectory() + "atrium-http-client-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SelfSignedCertificate.write(certificatePath: directory + "/cert.pem", keyPath: directory + "/key.pem", commonName: "localhost")
        let server = try TestServer(tls: try TLSContext(certificateChainFile: directory + "/cert.pem", privateKeyFile: directory + "/key.pem"))
        let url = server.url("/healthz", host: "localhost", secure: true)
        let trusting = try TLSContext(clientVerifyingPeer: true, trustedCertificateFile: directory + "/cert.pem")
        #expect(try await get(url, group: server.group, options: .init(tls: trusting)).get().status == 200)
        guard case .failure(.tls) = await get(url, group: server.group) else {
            Issue.record("an untrusted certificate was accepted")
            return
        }
        await server.stop()
    }
}

/// A listener that accepts and never answers.
final class RawListener: Sendable {
    let port: UInt16
    private let fd: Int32

    init() throws {
        let bound = try listenOnLoopback(backlog: 8)
        fd = bound.fd
        port = bound.port
    }

    func stop() { close(fd) }
}
