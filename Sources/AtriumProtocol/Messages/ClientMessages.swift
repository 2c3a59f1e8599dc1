import FoundationEssentials

/// The messages clients send, one struct each in `ClientMessages+Feature.swift`, and
/// their registry. The server decodes with ``decode(_:)`` once, at the edge.
public enum ClientMessages {
    /// Every client message type; ``decode(_:)`` knows exactly these.
    public static let all: [any ClientMessage.Type] = [
        Hello.self, Ping.self, Leave.self, FindMe.self,
        Chat.self, Emote.self, Status.self, Who.self,
        ExhibitOpen.self, ExhibitClose.self, React.self, NotePost.self, NotesPage.self, NoteHide.self,
        Announce.self, Spotlight.self, Mute.self, Kick.self, Ban.self, Teleport.self, Lock.self, Roster.self,
        QuizOpen.self, QuizNext.self, QuizPause.self, QuizResume.self, QuizSkip.self, QuizEnd.self,
        Media.self, RTCSignal.self,
        StageHand.self, StagePublish.self, StageWatch.self, StageAir.self, StageDismiss.self,
    ]

    private static let table = JSONMessage.table(all) { $0.type }

    /// Decodes one text frame. The caller has already bounded its size.
    public static func decode(_ bytes: [UInt8]) throws(MessageDecodingError) -> any ClientMessage {
        try JSONMessage.decode(bytes) { type, data, decoder in try table[type]?.decoded(from: data, by: decoder) }
    }
}
