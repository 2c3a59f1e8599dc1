/// How much of each state message (twenty a second) a client reads.
public enum StateDecoding: Sendable, Equatable {
    /// Every avatar in view: the ``WorldMirror`` shows them all. What a person's client needs.
    case full
    /// Only the client's own avatar, the tick and the acknowledged input; the rest is
    /// stepped over unread. A load generator's draining bots use it to cost little.
    case ownAvatar
}
