/// Multi-Agency Public Protection Arrangements (002 §11.5, Appendix A): a young person managed
/// at level 2 or 3 moves, between teams or to another YOT, only once the MAPPA meeting has
/// endorsed it, recorded as `ap record CASE mappa-endorsed`.
public enum MAPPA {
    /// `ap case update CASE mappa-level=...`.
    public static let levels = ["1", "2", "3", "none"]
    static let endorsementNeeded: Set<String> = ["2", "3"]

    /// Refuses moving the case (`what`) at level 2 or 3 without an endorsement recorded after
    /// `since` (the case's previous move of the same sort: each move needs its own).
    static func checkEndorsed(_ state: CaseState, since: Timestamp?, what: String) throws {
        guard let level = state.mappaLevel, endorsementNeeded.contains(level) else { return }
        let endorsed = state.keyEvents.contains { e in
            e.kind == "mappa-endorsed" && (since.map { $0 < e.recordedAt } ?? true)
        }
        guard !endorsed else { return }
        throw APError.refused(
            "'\(state.id)' is managed at MAPPA level \(level): the MAPPA meeting endorses \(what) first; record it "
                + "with 'ap record \(state.id) mappa-endorsed --date DATE' (002 §11.5, Appendix A)")
    }
}
