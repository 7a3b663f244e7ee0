/// The local settings of "Stage rules by kind" (domain.md): which kinds are always
/// countersigned, and each kind's timescale.
extension Config {
    /// Kinds countersigned whatever their ratings; none for an empty list.
    public mutating func setCountersignKinds(_ slugs: [String]) throws {
        countersignKinds = try slugs.map { try stageKind($0).slug }
    }

    /// A kind's timescale in working days, or nil to take the policy's default again.
    public mutating func setTimescale(kind slug: String, days: Int?) throws {
        let kind = try stageKind(slug).slug
        if let days {
            guard (1...100).contains(days) else { throw APError.data("a timescale is 1 to 100 working days") }
        }
        timescales[kind] = days
    }
}
