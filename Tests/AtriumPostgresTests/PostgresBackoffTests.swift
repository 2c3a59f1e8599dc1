import Testing
@testable import AtriumPostgres

@Suite struct PostgresBackoffTests {
    @Test func doublesUpToTheCapWithJitterInTheUpperHalf() {
        var backoff = PostgresBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        #expect(backoff.nextDelay(random: 0.999_999) < .milliseconds(101))
        #expect(backoff.nextDelay(random: 0) == .milliseconds(100))
        #expect(backoff.nextDelay(random: 0) == .milliseconds(200))
        #expect(backoff.nextDelay(random: 0.5) == .milliseconds(600))
        for _ in 0..<100 { _ = backoff.nextDelay(random: 1) }
        #expect(backoff.nextDelay(random: 1) == .seconds(1))
        #expect(backoff.nextDelay(random: 0) == .milliseconds(500))
    }

    @Test func startsOverAfterASuccess() {
        var backoff = PostgresBackoff(initial: .milliseconds(50), maximum: .seconds(5))
        for _ in 0..<6 { _ = backoff.nextDelay(random: 1) }
        backoff.reset()
        #expect(backoff.nextDelay(random: 1) == .milliseconds(50))
    }
}
