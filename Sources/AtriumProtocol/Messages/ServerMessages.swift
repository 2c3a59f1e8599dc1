import FoundationEssentials

/// The messages the server sends, one struct each in `ServerMessages+Feature.swift`, and
/// their registry. A client decodes with ``decode(_:)`` and matches with casts:
/// `case let chat as ServerMessages.Chat`.
public enum ServerMessages {
    /// Every server message type; ``decode(_:)`` knows exactly these.
    public static let all: [any ServerMessage.Type] = [
        Welcome.self, ErrorMessage.self, Pong.self, FindMe.self, Instances.self,
        Chat.self, People.self,
        Exhibit.self, ExhibitState.self, ExhibitClosed.self, Reacted.self, NoteMessage.self, NoteHidden.self, Notes.self,
        Announcement.self, ModOK.self, Roster.self,
        QuizStatus.self, QuizQuestion.self, QuizResult.self, QuizVerdict.self, QuizSkipped.self, QuizFinal.self, QuizSplit.self,
        AVPeers.self, RTCSignal.self, IceServers.self,
        Stage.self, StageGrant.self,
    ]

    private static let table = JSONMessage.table(all) { $0.type }

    /// Decodes a server message (clients, bots and tests).
    public static func decode(_ bytes: [UInt8]) throws(MessageDecodingError) -> any ServerMessage {
        try JSONMessage.decode(bytes) { type, data, decoder in try table[type]?.decoded(from: data, by: decoder) }
    }
}
