import AtriumWebSocket
import FuzzSupport

/// `Sec-WebSocket-Extensions` parsing: an element that parses is written back by
/// `headerValue` in a form that parses to the same element.
enum ExtensionCheck {
    static func run(_ values: [String]) {
        guard let elements = WebSocketExtensionElement.parse(values) else { return }
        for element in elements {
            let again = WebSocketExtensionElement.parse([element.headerValue])
            require(again == [element], "extension \"\(element.headerValue)\" does not parse back to itself")
        }
    }
}
