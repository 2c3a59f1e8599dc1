import Testing
@testable import AtriumCluster

@Suite struct LeaseKeeperTests {
    let start = ContinuousClock.now
    let hall = RoomInstance(room: "hall")
    let settings = LeaseSettings(duration: .seconds(10), renewInterval: .seconds(3), safetyMargin: .seconds(2))

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    private func holding(_ instance: RoomInstance, generation: Int64 = 7) -> LeaseKeeper {
        var keeper = LeaseKeeper(settings: settings)
        _ = keeper.want(instance, now: at(0))
        _ = keeper.claimAnswered(instance, .granted(generation: generation), now: at(100))
        return keeper
    }

    @Test func claimsOnceAndHostsWhenGranted() {
        var keeper = LeaseKeeper(settings: settings)
        #expect(keeper.want(hall, now: at(0)) == [.claim(hall)])
        #expect(keeper.want(hall, now: at(10)) == [])
        #expect(keeper.hostingGeneration(hall, now: at(20)) == nil)
        #expect(keeper.claimAnswered(hall, .granted(generation: 3), now: at(50)) == [.startHosting(hall, generation: 3)])
        #expect(keeper.hostingGeneration(hall, now: at(60)) == 3)
        #expect(keeper.want(hall, now: at(70)) == [])
    }

    @Test func aClaimAnotherNodeHoldsNamesTheOwner() {
        var keeper = LeaseKeeper(settings: settings)
        _ = keeper.want(hall, now: at(0))
        let owner = LeaseOwner(node: "b", generation: 4)
        #expect(keeper.claimAnswered(hall, .heldBy(owner), now: at(30)) == [.claimRefused(hall, owner: owner)])
        #expect(keeper.hostingGeneration(hall, now: at(40)) == nil)
        // Asking again later makes a new claim.
        #expect(keeper.want(hall, now: at(50)) == [.claim(hall)])
        #expect(keeper.claimAnswered(hall, .failed, now: at(60)) == [.claimRefused(hall, owner: nil)])
    }

    @Test func hostingRunsFromTheSendTimeNotTheAnswer() {
        // Sent at 0, answered at 100: the directory counts from its commit (≥ 0), so
        // this node may host until 0 + 10 s − 2 s, not 100 ms + 8 s.
        let keeper = holding(hall)
        #expect(keeper.hostingGeneration(hall, now: at(7_999)) == 7)
        #expect(keeper.hostingGeneration(hall, now: at(8_000)) == nil)
    }

    @Test func renewsEveryIntervalAndExtendsFromTheRenewalsSendTime() {
        var keeper = holding(hall)
        #expect(keeper.tick(now: at(2_999)) == [])
        #expect(keeper.tick(now: at(3_000)) == [.renew(hall, generation: 7)])
        // One renewal in flight at a time.
        #expect(keeper.tick(now: at(3_500)) == [])
        #expect(keeper.renewAnswered(hall, .renewed, now: at(3_900)) == [])
        #expect(keeper.hostingGeneration(hall, now: at(10_999)) == 7)
        #expect(keeper.hostingGeneration(hall, now: at(11_000)) == nil)
        #expect(keeper.tick(now: at(6_000)) == [.renew(hall, generation: 7)])
    }

    @Test func aNodeThatLostItsLeaseStopsAtOnce() {
        var keeper = holding(hall)
        _ = keeper.tick(now: at(3_000))
        #expect(keeper.renewAnswered(hall, .lost, now: at(3_010)) == [.stopHosting(hall, reason: .lost)])
        #expect(keeper.hostingGeneration(hall, now: at(3_011)) == nil)
        #expect(keeper.tick(now: at(9_000)) == [])
    }

    @Test func unansweredRenewalsEndHostingWhenTheReckoningRunsOut() {
        var keeper = holding(hall)
        #expect(keeper.tick(now: at(3_000)) == [.renew(hall, generation: 7)])
        // Unanswered for an interval: sent again.
        #expect(keeper.tick(now: at(6_000)) == [.renew(hall, generation: 7)])
        #expect(keeper.tick(now: at(7_999)) == [])
        #expect(keeper.tick(now: at(8_000)) == [.stopHosting(hall, reason: .expired)])
        // The answer to the first renewal arrives too late to count.
        #expect(keeper.renewAnswered(hall, .renewed, now: at(8_100)) == [])
        #expect(keeper.hostingGeneration(hall, now: at(8_100)) == nil)
    }

    @Test func aLateAnswerToAResentRenewalCountsFromTheFirstSending() {
        var keeper = holding(hall)
        _ = keeper.tick(now: at(3_000))
        _ = keeper.tick(now: at(6_000))
        // Which of the two this answers is unknown; the earlier send time is the safe one.
        #expect(keeper.renewAnswered(hall, .renewed, now: at(6_500)) == [])
        #expect(keeper.hostingGeneration(hall, now: at(10_999)) == 7)
        #expect(keeper.hostingGeneration(hall, now: at(11_000)) == nil)
    }

    @Test func aFailedRenewalIsTriedAgainAtTheNextTick() {
        var keeper = holding(hall)
        _ = keeper.tick(now: at(3_000))
        #expect(keeper.renewAnswered(hall, .failed, now: at(3_100)) == [])
        #expect(keeper.tick(now: at(3_200)) == [.renew(hall, generation: 7)])
    }

    @Test func aGrantArrivingAfterItCouldBeUsedIsGivenBack() {
        var keeper = LeaseKeeper(settings: settings)
        _ = keeper.want(hall, now: at(0))
        #expect(keeper.claimAnswered(hall, .granted(generation: 4), now: at(8_000))
            == [.release(hall, generation: 4), .claimRefused(hall, owner: nil)])
        #expect(keeper.hostingGeneration(hall, now: at(8_001)) == nil)
    }

    @Test func anUnansweredClaimIsGivenUp() {
        var keeper = LeaseKeeper(settings: settings)
        _ = keeper.want(hall, now: at(0))
        #expect(keeper.tick(now: at(7_999)) == [])
        #expect(keeper.tick(now: at(8_000)) == [.claimRefused(hall, owner: nil)])
        #expect(keeper.claimAnswered(hall, .granted(generation: 1), now: at(8_100)) == [])
    }

    @Test func drainingStopsThenReleasesEveryInstanceAndClaimsNothingMore() {
        let second = RoomInstance(room: "hall", number: 2)
        var keeper = holding(hall, generation: 7)
        _ = keeper.want(second, now: at(0))
        _ = keeper.claimAnswered(second, .granted(generation: 2), now: at(10))
        let gallery = RoomInstance(room: "gallery")
        _ = keeper.want(gallery, now: at(20))
        #expect(keeper.drain(now: at(1_000)) == [
            .stopHosting(hall, reason: .draining), .release(hall, generation: 7),
            .stopHosting(second, reason: .draining), .release(second, generation: 2),
        ])
        #expect(keeper.hosted(now: at(1_001)).isEmpty)
        #expect(keeper.want(RoomInstance(room: "stage"), now: at(1_002)) == [.claimRefused(RoomInstance(room: "stage"), owner: nil)])
        // The claim on its way when the drain began is given back when granted.
        #expect(keeper.claimAnswered(gallery, .granted(generation: 9), now: at(1_100))
            == [.release(gallery, generation: 9), .claimRefused(gallery, owner: nil)])
        #expect(!keeper.isDrained)
        keeper.releaseAnswered(hall)
        keeper.releaseAnswered(second)
        keeper.releaseAnswered(gallery)
        #expect(keeper.isDrained)
    }

    @Test func givingAnInstanceBackStopsItFirst() {
        var keeper = holding(hall)
        #expect(keeper.give(hall) == [.stopHosting(hall, reason: .released), .release(hall, generation: 7)])
        #expect(keeper.hostingGeneration(hall, now: at(200)) == nil)
        #expect(keeper.want(hall, now: at(300)) == [])
        keeper.releaseAnswered(hall)
        #expect(keeper.want(hall, now: at(400)) == [.claim(hall)])
    }
}
