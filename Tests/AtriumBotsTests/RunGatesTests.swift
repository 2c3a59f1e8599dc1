@testable import atrium_bots
import Testing

struct RunGatesTests {
    /// The README's own example as a new user met it: 159 of 1,000 joined, the rest refused
    /// by the per-address handshake rate.
    static let mostlyRefused = RunGates.Outcome(bots: 1000, joined: 159, connectFailures: ["HTTP 429 rate_limited": 841])

    @Test func aRunWhoseBotsMostlyFailedToConnectFailsByDefault() {
        let verdict = RunGates().verdict(Self.mostlyRefused)
        #expect(!verdict.passed)
        #expect(verdict.failures == ["joined 159 of 1000, fewer than the 1000 required (--min-joined); failed connects: HTTP 429 rate_limited ×841"])
        #expect(verdict.summary.hasPrefix("fail: joined 159 of 1000"))
    }

    @Test func aRefusalByTheHandshakeRateComesWithAHint() {
        let verdict = RunGates().verdict(Self.mostlyRefused)
        #expect(verdict.warnings.count == 1)
        #expect(verdict.warnings[0].hasPrefix("HTTP 429 rate_limited: the server's per-address handshake rate"))
        #expect(verdict.warnings[0].contains("--source-addresses"))
    }

    @Test(arguments: [("159", true), ("15%", true), ("16%", false), ("160", false)])
    func aLoweredJoinQuotaDecides(quota: String, passes: Bool) throws {
        let gates = RunGates(minJoined: try #require(RunGates.Quota(quota)))
        #expect(gates.verdict(Self.mostlyRefused).passed == passes)
    }

    @Test func failedConnectsCountAgainstTheErrorBudget() {
        let gates = RunGates(minJoined: .count(0), maxErrors: 10)
        let verdict = gates.verdict(Self.mostlyRefused)
        #expect(verdict.failures == ["841 errors > 10 (--max-errors)"])
    }

    @Test func theBotsOwnLeavingsDoNotCountAsErrors() {
        let outcome = RunGates.Outcome(bots: 20, joined: 20, disconnects: ["finished": 20])
        #expect(RunGates(maxErrors: 0).verdict(outcome).passed)
        let dropped = RunGates.Outcome(bots: 20, joined: 20, disconnects: ["finished": 18, "close 1008": 2])
        #expect(RunGates(maxErrors: 0).verdict(dropped).failures == ["2 errors > 0 (--max-errors)"])
    }

    @Test func aLatencyAboveItsGateFailsTheRun() {
        let outcome = RunGates.Outcome(bots: 10, joined: 10, p99Ms: ["input→ack": 40, "move→seen": 180])
        #expect(RunGates(maxP99Ms: 150).verdict(outcome).failures == ["move→seen p99 180.0 ms > 150.0 ms"])
    }

    @Test func aRunThatStoppedEarlyFailsWhateverItsCounts() {
        let outcome = RunGates.Outcome(bots: 10, joined: 0, aborted: "the first 10 bots could not join: connection refused ×10")
        #expect(RunGates(minJoined: .count(0)).verdict(outcome).failures == ["the first 10 bots could not join: connection refused ×10"])
    }

    @Test(arguments: [(0.95, 1, true), (0.5, 1, false), (0.95, 2, false), (1.9, 2, true)])
    func aLoadGeneratorThatSaturatedItsCoresMakesTheRunUnreliable(cpu: Double, cores: Int, unreliable: Bool) {
        let outcome = RunGates.Outcome(bots: 10, joined: 10, ownCPU: cpu, cores: cores)
        let verdict = RunGates().verdict(outcome)
        #expect(verdict.passed)
        #expect(verdict.unreliable == unreliable)
        #expect(verdict.summary.contains("unreliable") == unreliable)
    }

    @Test(arguments: ["", "x", "101%", "-1", "50%%"])
    func aQuotaThatIsNeitherACountNorAPercentageIsRefused(text: String) {
        #expect(RunGates.Quota(text) == nil)
    }

    @Test func aPercentageQuotaRoundsUp() {
        #expect(RunGates.Quota.percent(95).required(of: 15) == 15)
        #expect(RunGates.Quota.percent(90).required(of: 15) == 14)
        #expect(RunGates.Quota.count(50).required(of: 20) == 20)
    }
}
