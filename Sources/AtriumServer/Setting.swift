import AtriumWebSocket

/// One named setting of ``ServerConfiguration``: its key (`section.name`), what it means,
/// and how to read and write it as text. Every source — the TOML file, `ATRIUM_…`
/// environment variables, `--set key=value` — goes through the same parser, so a value is
/// checked the same way wherever it comes from.
public struct Setting: Sendable {
    public let key: String
    public let help: String
    let render: @Sendable (ServerConfiguration) -> String
    let apply: @Sendable (inout ServerConfiguration, String) throws(ConfigurationError) -> Void

    /// The environment variable: `limits.max_connections` → `ATRIUM_LIMITS_MAX_CONNECTIONS`.
    public var environmentName: String {
        "ATRIUM_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static func int(_ key: String, _ help: String, _ range: ClosedRange<Int>,
                    _ path: any WritableKeyPath<ServerConfiguration, Int> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { String($0[keyPath: path]) }) { (configuration, text) throws(ConfigurationError) in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw ConfigurationError("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            configuration[keyPath: path] = value
        }
    }

    static func optionalInt(_ key: String, _ help: String, _ range: ClosedRange<Int>,
                            _ path: any WritableKeyPath<ServerConfiguration, Int?> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { $0[keyPath: path].map(String.init) ?? "0" }) {
            (configuration, text) throws(ConfigurationError) in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value == 0 || range.contains(value) else {
                throw ConfigurationError("\(key) must be 0 (none) or from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            configuration[keyPath: path] = value == 0 ? nil : value
        }
    }

    static func double(_ key: String, _ help: String, _ range: ClosedRange<Double>,
                       _ path: any WritableKeyPath<ServerConfiguration, Double> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { String($0[keyPath: path]) }) { (configuration, text) throws(ConfigurationError) in
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw ConfigurationError("\(key) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            configuration[keyPath: path] = value
        }
    }

    static func bool(_ key: String, _ help: String, _ path: any WritableKeyPath<ServerConfiguration, Bool> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { String($0[keyPath: path]) }) { (configuration, text) throws(ConfigurationError) in
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes", "1", "on": configuration[keyPath: path] = true
            case "false", "no", "0", "off": configuration[keyPath: path] = false
            default: throw ConfigurationError("\(key) must be true or false, not \"\(text)\"")
            }
        }
    }

    /// Seconds, possibly fractional.
    static func seconds(_ key: String, _ help: String, _ range: ClosedRange<Double>,
                        _ path: any WritableKeyPath<ServerConfiguration, Duration> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { configuration in
            let duration = configuration[keyPath: path]
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        }) { (configuration, text) throws(ConfigurationError) in
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw ConfigurationError("\(key) must be a number of seconds from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            }
            configuration[keyPath: path] = .milliseconds(Int64(value * 1000))
        }
    }

    static func string(_ key: String, _ help: String, _ path: any WritableKeyPath<ServerConfiguration, String> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { "\"\($0[keyPath: path])\"" }) { (configuration, text) throws(ConfigurationError) in
            let value = text.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, value.count <= 4096 else { throw ConfigurationError("\(key) must not be empty") }
            configuration[keyPath: path] = value
        }
    }

    static func optionalString(_ key: String, _ help: String,
                               _ path: any WritableKeyPath<ServerConfiguration, String?> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { "\"\($0[keyPath: path] ?? "")\"" }) { (configuration, text) throws(ConfigurationError) in
            let value = text.trimmingCharacters(in: .whitespaces)
            guard value.count <= 4096 else { throw ConfigurationError("\(key) is too long") }
            configuration[keyPath: path] = value.isEmpty ? nil : value
        }
    }

    /// A comma-separated list (a TOML array in the file).
    static func list(_ key: String, _ help: String, _ path: any WritableKeyPath<ServerConfiguration, [String]> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { "[" + $0[keyPath: path].map { "\"\($0)\"" }.joined(separator: ", ") + "]" }) {
            (configuration, text) throws(ConfigurationError) in
            configuration[keyPath: path] = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    /// A rate as "PER_SECOND/s:BURST".
    static func rate(_ key: String, _ help: String, _ path: any WritableKeyPath<ServerConfiguration, RateLimit> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { configuration in
            let rate = configuration[keyPath: path]
            return "\"\(Self.number(rate.perSecond))/s:\(Self.number(rate.burst))\""
        }) { (configuration, text) throws(ConfigurationError) in
            configuration[keyPath: path] = try RateLimit.parse(text, setting: key)
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension RateLimit {
    /// Parses "N/s:BURST", e.g. "1/s:5".
    public static func parse(_ text: String, setting: String) throws(ConfigurationError) -> RateLimit {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        let perSecond = parts.first.map { $0.hasSuffix("/s") ? $0.dropLast(2) : $0 }.flatMap { Double($0) }
        let burst = parts.count == 2 ? Double(parts[1]) : nil
        guard let perSecond, let burst, perSecond > 0, perSecond <= 100_000, burst >= 1, burst <= 100_000 else {
            throw ConfigurationError("\(setting) takes RATE/s:BURST such as 1/s:5, not \"\(text)\"")
        }
        return RateLimit(perSecond: perSecond, burst: burst)
    }
}

import Foundation
