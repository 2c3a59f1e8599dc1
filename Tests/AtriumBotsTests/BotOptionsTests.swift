@testable import atrium_bots
import Testing

struct BotOptionsTests {
    @Test func aRangeOfSourceAddressesIsHandedOutInTurn() throws {
        let sources = try #require(SourceAddresses("127.0.0.1-127.0.0.4"))
        #expect(sources.addresses == ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"])
        #expect((0..<6).map(sources.address(forBot:)) == ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1", "127.0.0.2"])
        #expect(SourceAddresses("127.0.0.9,127.0.1.1-127.0.1.2")?.addresses == ["127.0.0.9", "127.0.1.1", "127.0.1.2"])
    }

    @Test(arguments: ["", "127.0.0", "127.0.0.5-127.0.0.1", "127.0.0.1-127.0.1.2", "127.0.0.256", "127.0.0.0-127.0.1.0,127.0.2.0-127.0.2.255"])
    func sourceAddressesThatAreNotAddressesOrTooManyAreRefused(text: String) {
        #expect(SourceAddresses(text) == nil)
    }

    @Test(arguments: [("10%", 100, 10), ("100%", 37, 37), ("0%", 50, 0), ("25", 8, 2), ("33%", 100, 33)])
    func theObserverShareHoldsOverTheRamp(text: String, bots: Int, observers: Int) throws {
        let sample = try #require(ObserverSample(text))
        #expect((0..<bots).filter(sample.observes).count == observers)
    }

    @Test func everyTenthBotObservesAtTenPercent() throws {
        let sample = try #require(ObserverSample("10%"))
        #expect((0..<30).filter(sample.observes) == [9, 19, 29])
    }
}
