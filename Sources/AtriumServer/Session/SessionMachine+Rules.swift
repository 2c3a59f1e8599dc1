/// Every client message's rule, by type. A feature adds its list here once.
extension SessionMachine {
    static let rules: [ObjectIdentifier: SessionRule] = {
        var rules: [ObjectIdentifier: SessionRule] = [:]
        for rule in joiningRules + presenceRules + chatRules + exhibitRules + moderationRules + quizRules + mediaRules + stageRules {
            precondition(rules[rule.messageType] == nil, "two session rules for one message type")
            rules[rule.messageType] = rule
        }
        return rules
    }()
}
