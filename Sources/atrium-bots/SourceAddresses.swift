/// The local addresses bots connect from, one after another: `127.0.0.1-127.0.0.16`
/// (a range in the last part) or a comma-separated list. On loopback every 127.x.y.z
/// is this machine, so a load test stays under the server's per-address limits
/// without raising them.
struct SourceAddresses: Sendable, Equatable {
    let addresses: [String]
    /// The most addresses a range may name.
    static let maxCount = 256

    init?(_ text: String) {
        var addresses: [String] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let first = Self.octets(bounds[0]) else { return nil }
            guard bounds.count == 2 else {
                addresses.append(bounds[0].description)
                continue
            }
            guard let last = Self.octets(bounds[1]), first.dropLast() == last.dropLast(), first[3] <= last[3] else { return nil }
            let prefix = first.dropLast().map(String.init).joined(separator: ".")
            addresses += (first[3]...last[3]).map { "\(prefix).\($0)" }
        }
        guard !addresses.isEmpty, addresses.count <= Self.maxCount else { return nil }
        self.addresses = addresses
    }

    /// The address of the `index`th bot.
    func address(forBot index: Int) -> String { addresses[index % addresses.count] }

    private static func octets(_ text: Substring) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil && (0...255).contains($0!) }) else { return nil }
        return parts.map { $0! }
    }
}
