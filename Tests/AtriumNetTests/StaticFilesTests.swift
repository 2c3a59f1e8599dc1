import Foundation
import Testing
@testable import AtriumNet

@Suite struct StaticFilesTests {
    final class Folder {
        let path = NSTemporaryDirectory() + "atrium-static-\(UUID().uuidString)"
        init() {
            try? FileManager.default.createDirectory(atPath: path + "/site/sub", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path + "/secret.txt", contents: Data("secret".utf8))
            _ = FileManager.default.createFile(atPath: path + "/site/index.html", contents: Data("<h1>Atrium</h1>".utf8))
            _ = FileManager.default.createFile(atPath: path + "/site/app.js", contents: Data(String(repeating: "console.log(1);\n", count: 200).utf8))
            _ = FileManager.default.createFile(atPath: path + "/site/sub/clip.webm", contents: Data((0..<2000).map { UInt8($0 % 251) }))
            try? FileManager.default.createSymbolicLink(atPath: path + "/site/escape", withDestinationPath: path + "/secret.txt")
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    let folder = Folder()
    var files: StaticFiles { StaticFiles(root: folder.path + "/site")! }

    private func get(_ path: String, _ headers: HTTPHeaders = [:]) -> HTTPResponse {
        let request = HTTPRequest(method: "GET", target: path, headers: headers)
        return files.respond(to: request, relativePath: request.path.dropFirst())
    }

    private func body(_ response: HTTPResponse) -> [UInt8] {
        if case .bytes(let bytes) = response.body { return bytes }
        return []
    }

    @Test func servesFilesWithTheirContentTypesAndAValidator() throws {
        let index = get("/")
        #expect(index.status == 200)
        #expect(index.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(String(decoding: body(index), as: UTF8.self) == "<h1>Atrium</h1>")
        let etag = try #require(index.headers["ETag"])
        #expect(get("/index.html", ["If-None-Match": etag]).status == 304)
        #expect(get("/sub/clip.webm").headers["Content-Type"] == "video/webm")
        #expect(get("/app.js").headers["Content-Type"] == "text/javascript; charset=utf-8")
    }

    @Test func gzipsTextForClientsThatAcceptIt() {
        let plain = get("/app.js")
        let zipped = get("/app.js", ["Accept-Encoding": "gzip, deflate"])
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(body(zipped).count < body(plain).count / 5)
        #expect(body(zipped).prefix(2) == [0x1F, 0x8B])
    }

    @Test func servesByteRangesForSeeking() {
        let range = get("/sub/clip.webm", ["Range": "bytes=100-199"])
        #expect(range.status == 206)
        #expect(range.headers["Content-Range"] == "bytes 100-199/2000")
        #expect(body(range) == (100..<200).map { UInt8($0 % 251) })
        #expect(get("/sub/clip.webm", ["Range": "bytes=-10"]).headers["Content-Range"] == "bytes 1990-1999/2000")
        #expect(get("/sub/clip.webm", ["Range": "bytes=5000-"]).status == 416)
        #expect(get("/sub/clip.webm", ["Range": "bytes=0-1,5-6"]).status == 200)
    }

    @Test(arguments: ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/sub/..%2F..%2Fsecret.txt",
                      "/escape", "/%00", "/sub\\..\\..\\secret.txt", "/nothing-here", "/sub"])
    func neverLeavesItsFolder(path: String) {
        let response = get(path)
        #expect(response.status == 404, "\(path) → \(response.status)")
        #expect(!String(decoding: body(response), as: UTF8.self).contains("secret"))
    }

    @Test func refusesMethodsOtherThanGetAndHead() {
        let response = files.respond(to: HTTPRequest(method: "DELETE", target: "/index.html"), relativePath: "index.html")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
    }
}
