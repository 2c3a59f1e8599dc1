/// Opening exhibits, reacting, and a board's notes.
extension ClientMessages {
    public struct ExhibitOpen: ClientRequest {
        public static let type = "exhibit_open"

        public var id: String
        /// Echoed in the answer or the error.
        public var ref: String?
        public init(id: String, ref: String? = nil) {
            self.id = id
            self.ref = ref
        }
    }

    /// Closes the exhibit this visitor has open.
    public struct ExhibitClose: ClientMessage {
        public static let type = "exhibit_close"
        public init() {}
    }

    public struct React: ClientRequest {
        public static let type = "react"

        public var id: String
        public var reaction: ReactionName
        /// false takes the reaction back; default true.
        public var on: Bool?
        public var ref: String?
        public init(id: String, reaction: ReactionName, on: Bool? = nil, ref: String? = nil) {
            self.id = id
            self.reaction = reaction
            self.on = on
            self.ref = ref
        }
    }

    public struct NotePost: ClientRequest {
        public static let type = "note_post"

        public var id: String
        public var text: String
        public var ref: String?
        public init(id: String, text: String, ref: String? = nil) {
            self.id = id
            self.text = text
            self.ref = ref
        }
    }

    public struct NotesPage: ClientRequest {
        public static let type = "notes_page"

        public var id: String
        /// Only notes older than this note id; the newest when absent.
        public var before: Int64?
        public var limit: Int?
        public var ref: String?
        public init(id: String, before: Int64? = nil, limit: Int? = nil, ref: String? = nil) {
            self.id = id
            self.before = before
            self.limit = limit
            self.ref = ref
        }
    }

    public struct NoteHide: ClientRequest {
        public static let type = "note_hide"

        public var id: String
        public var note: Int64
        public var ref: String?
        public init(id: String, note: Int64, ref: String? = nil) {
            self.id = id
            self.note = note
            self.ref = ref
        }
    }
}
