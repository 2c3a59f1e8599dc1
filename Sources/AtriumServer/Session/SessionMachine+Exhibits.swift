import AtriumProtocol
import AtriumStore
import AtriumWorld

/// Exhibits: opening, reacting, a board's notes. Reach and one-per-person rules are the
/// room's; the session bounds ids and rates and pages notes straight from the store.
extension SessionMachine {
    static let exhibitRules: [SessionRule] = [
        .joined(ClientMessages.ExhibitOpen.self, limit: .actions) { open, machine, _ in
            [.submit(.openExhibit(machine.client, exhibitID: machine.exhibitID(open.id), ref: open.ref))]
        },
        .joined(ClientMessages.ExhibitClose.self, limit: nil) { _, machine, _ in
            [.submit(.closeExhibit(machine.client))]
        },
        .joined(ClientMessages.React.self, limit: .actions) { react, machine, _ in
            [.submit(.react(machine.client, exhibitID: machine.exhibitID(react.id), kind: ReactionKind(react.reaction),
                            on: react.on ?? true, ref: react.ref))]
        },
        .joined(ClientMessages.NotePost.self, limit: .notes) { post, machine, _ in
            [.submit(.postNote(machine.client, exhibitID: machine.exhibitID(post.id), text: post.text, ref: post.ref))]
        },
        .joined(ClientMessages.NotesPage.self, limit: .actions) { page, machine, _ in
            guard machine.boards.contains(page.id) else {
                return [.send(ServerMessages.ErrorMessage(code: .notFound, message: "no board \"\(machine.quoted(page.id))\"",
                                                          ref: page.ref))]
            }
            let limit = min(max(page.limit ?? machine.settings.defaultNotesPageLimit, 1), machine.settings.maxNotesPageLimit)
            return [.pageNotes(NotesPageRequest(exhibitID: page.id, before: page.before, limit: limit, ref: page.ref))]
        },
        .joined(ClientMessages.NoteHide.self, limit: .actions) { hide, machine, _ in
            [.submit(.hideNote(machine.client, exhibitID: machine.exhibitID(hide.id), noteID: hide.note, ref: hide.ref))]
        },
    ]

    /// The store's answer to a ``SessionAction/pageNotes(_:)``. The adapter asked for one
    /// note more than the page, which says whether older notes exist.
    func notesRead(_ result: Result<[NoteRecord], StorageError>, for page: NotesPageRequest) -> [SessionAction] {
        guard phase != .closed else { return [] }
        switch result {
        case .success(let records):
            let notes = records.prefix(page.limit).map {
                ServerMessages.Note(id: $0.id, author: $0.authorName, authorID: $0.authorID, text: $0.text, time: $0.time)
            }
            return [.send(ServerMessages.Notes(id: page.exhibitID, notes: Array(notes), more: records.count > page.limit,
                                               ref: page.ref))]
        case .failure:
            return [.send(ServerMessages.ErrorMessage(code: .storeUnavailable, message: "the notes could not be read; try again",
                                                      ref: page.ref))]
        }
    }

    func exhibitID(_ id: String) -> String {
        String(id.prefix(settings.maxExhibitIDLength))
    }
}
