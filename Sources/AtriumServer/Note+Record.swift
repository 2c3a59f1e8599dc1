import AtriumStore
import AtriumWorld

extension Note {
    /// A stored note as the room sees it.
    init(record: NoteRecord) {
        self.init(id: record.id, exhibitID: record.exhibit, authorID: record.authorID, authorName: record.authorName,
                  text: record.text, time: record.time)
    }
}
