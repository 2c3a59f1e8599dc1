import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serves files from one folder, and nothing outside it.
///
/// A request path is percent-decoded, refused if any segment is `..` or empty or it
/// holds a NUL or backslash, then resolved with `realpath` and refused again unless it
/// still lies inside the root, so neither `..%2f` nor a symbolic link leads out.
/// Responses carry a validator (`ETag`), honour `If-None-Match` and single byte ranges
/// (videos seek with them), and text files go gzipped to clients that accept it. Small
/// files are kept in memory after the first read; large ones stream from disk.
///
/// `@unchecked Sendable`: the cache is behind a mutex; everything else is immutable.
public final class StaticFiles: @unchecked Sendable {
    public let root: String
    public let cacheControl: String
    /// Files up to this size are read whole and cached; larger ones are streamed.
    public let maxCachedFileBytes: Int
    public let maxCacheBytes: Int

    private struct Cached {
        var etag: String
        var body: [UInt8]
        var gzipped: [UInt8]?
    }

    private struct Cache {
        var entries: [String: Cached] = [:]
        var bytes = 0
    }

    private let cache = Mutex(Cache())

    /// nil when `root` does not exist or is not a directory.
    public init?(root: String, cacheControl: String = "no-cache", maxCachedFileBytes: Int = 512 * 1024,
                 maxCacheBytes: Int = 64 * 1024 * 1024) {
        guard let resolved = Self.realPath(root), Self.isDirectory(resolved) else { return nil }
        self.root = resolved
        self.cacheControl = cacheControl
        self.maxCachedFileBytes = maxCachedFileBytes
        self.maxCacheBytes = maxCacheBytes
    }

    /// Answers a request for `relativePath` (still percent-encoded) under the root.
    public func respond(to request: HTTPRequest, relativePath: Substring) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, code: "method_not_allowed", message: "use GET or HEAD", headers: ["Allow": "GET, HEAD"])
        }
        guard let decoded = PercentDecoding.decode(relativePath), let file = resolve(decoded) else {
            return .error(404, code: "not_found", message: "no such file")
        }
        var status = stat()
        guard stat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .error(404, code: "not_found", message: "no such file")
        }
        let size = Int(status.st_size)
        let modified = Int(status.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(status.st_mtim.tv_nsec)
        let etag = "\"\(String(size, radix: 16))-\(String(modified, radix: 16))\""
        let type = ContentType.forPath(file)
        var headers: HTTPHeaders = ["Content-Type": type, "ETag": etag, "Cache-Control": cacheControl,
                                    "Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff"]
        if ContentType.isCompressible(type) { headers.add("Vary", "Accept-Encoding") }

        if let tags = request.headers["If-None-Match"],
           tags.split(separator: ",").contains(where: { $0.trimmedLowercased() == etag.lowercased() || $0.trimmedLowercased() == "*" }) {
            return HTTPResponse(status: 304, headers: headers)
        }
        if let rangeHeader = request.headers["Range"] {
            switch ByteRange.parse(rangeHeader, size: size) {
            case .satisfiable(let range):
                headers.add("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)")
                return body(file: file, size: size, etag: etag, range: range, status: 206, headers: headers)
            case .unsatisfiable:
                headers.add("Content-Range", "bytes */\(size)")
                return HTTPResponse(status: 416, headers: headers)
            case .ignored:
                break
            }
        }
        let acceptsGzip = request.headers.contains("Accept-Encoding", token: "gzip")
            || (request.headers["Accept-Encoding"] ?? "").lowercased().contains("gzip")
        if acceptsGzip && ContentType.isCompressible(type) && size >= 1024 && size <= maxCachedFileBytes,
           let gzipped = cached(file: file, size: size, etag: etag)?.gzipped {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(status: 200, headers: headers, body: .bytes(gzipped))
        }
        return body(file: file, size: size, etag: etag, range: 0..<size, status: 200, headers: headers)
    }

    private func body(file: String, size: Int, etag: String, range: Range<Int>, status: Int, headers: HTTPHeaders) -> HTTPResponse {
        if size <= maxCachedFileBytes, let entry = cached(file: file, size: size, etag: etag) {
            return HTTPResponse(status: status, headers: headers, body: .bytes(Array(entry.body[range])))
        }
        return HTTPResponse(status: status, headers: headers, body: .file(path: file, offset: range.lowerBound, length: range.count))
    }

    private func cached(file: String, size: Int, etag: String) -> Cached? {
        if let hit = cache.withLock({ $0.entries[file] }), hit.etag == etag { return hit }
        guard let bytes = Self.readWhole(file, expected: size) else { return nil }
        var entry = Cached(etag: etag, body: bytes)
        if ContentType.isCompressible(ContentType.forPath(file)), let gzipped = GzipEncoder.compress(bytes),
           gzipped.count < bytes.count {
            entry.gzipped = gzipped
        }
        cache.withLock { cache in
            let added = entry.body.count + (entry.gzipped?.count ?? 0)
            if cache.bytes + added > maxCacheBytes {
                cache.entries.removeAll()
                cache.bytes = 0
            }
            if let old = cache.entries[file] { cache.bytes -= old.body.count + (old.gzipped?.count ?? 0) }
            cache.entries[file] = entry
            cache.bytes += added
        }
        return entry
    }

    /// The absolute file for a decoded relative path, or nil if it would leave the root.
    func resolve(_ relative: String) -> String? {
        guard !relative.contains("\0"), !relative.contains("\\") else { return nil }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        let joined = segments.filter { !$0.isEmpty }.joined(separator: "/")
        var candidate = joined.isEmpty ? root : root + "/" + joined
        if Self.isDirectory(candidate) { candidate += "/index.html" }
        guard let real = Self.realPath(candidate), real.hasPrefix(root + "/") else { return nil }
        return real
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    static func readWhole(_ path: String, expected: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: expected)
        var offset = 0
        while offset < expected {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + offset, expected - offset, off_t(offset)) }
            guard count > 0 else { return nil }
            offset += count
        }
        return bytes
    }
}

/// A single `Range: bytes=…` request (RFC 9110 §14.2). Multiple ranges are answered
/// with the whole body, which the RFC allows.
enum ByteRange: Equatable {
    case satisfiable(Range<Int>)
    case unsatisfiable
    case ignored

    static func parse(_ header: String, size: Int) -> ByteRange {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .ignored }
        let spec = header.dropFirst(6)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .ignored }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return .ignored }
            guard size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)..<size)
        }
        guard let start = Int(parts[0]), start >= 0 else { return .ignored }
        guard start < size else { return .unsatisfiable }
        if parts[1].isEmpty { return .satisfiable(start..<size) }
        guard let end = Int(parts[1]), end >= start else { return .ignored }
        return .satisfiable(start..<min(end + 1, size))
    }
}
