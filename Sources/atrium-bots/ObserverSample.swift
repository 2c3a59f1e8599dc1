/// Which bots read every state message in full (observers, who time move→seen) and
/// which only skim for their own avatar and count bytes: `--observe 10%` makes every
/// tenth bot an observer, spread evenly over the ramp.
struct ObserverSample: Sendable, Equatable {
    /// Percentage of bots that observe, 0–100.
    let percent: Double

    init?(_ text: String) {
        let number = text.hasSuffix("%") ? text.dropLast() : Substring(text)
        guard let value = Double(number), (0...100).contains(value) else { return nil }
        percent = value
    }

    /// Whether the `index`th bot observes: the bots at which the running share of
    /// observers steps up, so any prefix of the ramp holds its share.
    func observes(_ index: Int) -> Bool {
        (Double(index + 1) * percent / 100).rounded(.down) > (Double(index) * percent / 100).rounded(.down)
    }
}
