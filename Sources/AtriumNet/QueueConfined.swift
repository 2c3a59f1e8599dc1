/// Carries a value that belongs to one serial queue through a closure that hops to
/// another queue and back. `@unchecked Sendable`: the value must be used only on its
/// owning queue, which every call site here guarantees by hopping back before touching it.
struct QueueConfined<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
