/// A problem found in a map, naming the object and its tile position when there is one.
public struct MapIssue: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var objectID: Int?

    public init(_ message: String, objectID: Int? = nil) {
        self.message = message
        self.objectID = objectID
    }

    public var description: String { message }
}
