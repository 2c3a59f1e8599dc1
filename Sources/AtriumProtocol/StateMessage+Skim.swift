extension StateMessage {
    /// Reads only what one avatar needs to steer itself: the header (tick, ack, snapshot)
    /// and the entries about `avatar`, skipping everyone else's without building them.
    ///
    /// A load generator's bots that only drain their traffic use this: the message's
    /// structure is walked and checked as ``decode(_:maxEntries:)`` does (truncation,
    /// varints, trailing bytes), but other avatars' names are skipped unread, so it costs
    /// no allocation per entry and thousands of bots fit on a fraction of a core.
    public static func skim(_ bytes: [UInt8], for avatar: UInt32?) throws(DecodingError) -> StateMessage {
        try read(bytes) { (reader: inout BinaryReader) throws(BinaryReader.Failure) in try skimBody(&reader, for: avatar) }
    }

    private static func skimBody(_ reader: inout BinaryReader, for avatar: UInt32?) throws(BinaryReader.Failure) -> StateMessage {
        let flags = try reader.u8()
        var message = StateMessage(snapshot: flags & 1 != 0, tick: try reader.u32(), ack: try reader.u32())
        func count(_ reader: inout BinaryReader) throws(BinaryReader.Failure) -> Int {
            let value = Int(try reader.varint())
            guard value <= reader.remaining else { throw .truncated }
            return value
        }
        for _ in 0..<(try count(&reader)) {
            let id = try reader.varint()
            let motion = try readMotion(&reader)
            if id == avatar {
                message.entered.append(Entered(id: id, motion: motion, info: try readInfo(&reader)))
            } else {
                try skipInfo(&reader)
            }
        }
        for _ in 0..<(try count(&reader)) {
            let id = try reader.varint()
            let motion = try readMotion(&reader)
            if id == avatar { message.moved.append(Moved(id: id, motion: motion)) }
        }
        for _ in 0..<(try count(&reader)) {
            let id = try reader.varint()
            if id == avatar {
                message.updated.append(Updated(id: id, info: try readInfo(&reader)))
            } else {
                try skipInfo(&reader)
            }
        }
        for _ in 0..<(try count(&reader)) {
            let id = try reader.varint()
            if id == avatar { message.left.append(id) }
        }
        return message
    }

    private static func skipInfo(_ reader: inout BinaryReader) throws(BinaryReader.Failure) {
        try reader.skip(4)
        try reader.skip(Int(try reader.u8()))
        try reader.skip(Int(try reader.u8()))
    }
}
