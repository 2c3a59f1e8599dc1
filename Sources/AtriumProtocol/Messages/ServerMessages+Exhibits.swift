/// Exhibits: what one shows, its live numbers, reactions and a board's notes.
extension ServerMessages {
    /// The answer to `exhibit_open`.
    public struct Exhibit: ServerReply {
        public static let type = "exhibit"

        public var id: String
        public var kind: String
        public var title: String
        public var description: String
        /// Content URLs in viewing order: server paths under /maps/ or absolute URLs.
        public var content: [String]
        public var state: ExhibitState
        /// The reactions this visitor already left.
        public var mine: [String]
        /// For boards: the newest notes, newest first.
        public var notes: [Note]
        public var ref: String?
        public init(id: String, kind: String, title: String, description: String, content: [String], state: ExhibitState,
                    mine: [String], notes: [Note], ref: String? = nil) {
            self.ref = ref
            self.id = id
            self.kind = kind
            self.title = title
            self.description = description
            self.content = content
            self.state = state
            self.mine = mine
            self.notes = notes
        }
    }

    /// Live numbers of an exhibit.
    public struct ExhibitState: ServerMessage {
        public static let type = "exhibit_state"

        public var id: String
        public var viewers: Int
        public var reactions: [String: Int]
        public init(id: String, viewers: Int, reactions: [String: Int]) {
            self.id = id
            self.viewers = viewers
            self.reactions = reactions
        }
    }

    public struct ExhibitClosed: ServerMessage {
        public static let type = "exhibit_closed"

        public var id: String
        public init(id: String) { self.id = id }
    }

    public struct Reacted: ServerReply {
        public static let type = "reacted"

        public var id: String
        public var reaction: String
        public var on: Bool
        public var state: ExhibitState
        public var ref: String?
        public init(id: String, reaction: String, on: Bool, state: ExhibitState, ref: String?) {
            self.id = id
            self.reaction = reaction
            self.on = on
            self.state = state
            self.ref = ref
        }
    }

    /// A new note on a board; with `ref` it is the author's acknowledgement.
    public struct NoteMessage: ServerReply {
        public static let type = "note"

        public var id: String
        public var note: Note
        public var ref: String?
        public init(id: String, note: Note, ref: String?) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }

    public struct NoteHidden: ServerReply {
        public static let type = "note_hidden"

        public var id: String
        public var note: Int64
        public var ref: String?
        public init(id: String, note: Int64, ref: String?) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }

    /// A page of a board's history, newest first; `more` when older notes exist.
    public struct Notes: ServerReply {
        public static let type = "notes"

        public var id: String
        public var notes: [Note]
        public var more: Bool
        public var ref: String?
        public init(id: String, notes: [Note], more: Bool, ref: String? = nil) {
            self.ref = ref
            self.id = id
            self.notes = notes
            self.more = more
        }
    }

    public struct Note: Codable, Sendable, Equatable {
        public var id: Int64
        public var author: String
        public var authorID: UInt32
        public var text: String
        public var time: Int64
        public init(id: Int64, author: String, authorID: UInt32, text: String, time: Int64) {
            self.id = id
            self.author = author
            self.authorID = authorID
            self.text = text
            self.time = time
        }
    }
}
