/// The transfer-in summary (002 Appendix A): the `transfer.` questions of the latest
/// Transfer YOT to YOT stage, which travel in the package for the receiving manager.
public enum TransferSummary {
    public static let prefix = "transfer."

    /// Its answers, in catalogue order, with their labels.
    public static func of(_ state: CaseState, catalogue: Catalogue) -> [(key: String, label: String, value: String)] {
        guard let stage = state.stages.last(where: { $0.kind == StageKind.transfer && $0.status != .stopped }) else {
            return []
        }
        return catalogue.questions.filter { $0.key.hasPrefix(prefix) }.compactMap { q in
            stage.answer(q.key).map { (q.key, q.label, $0) }
        }
    }

    /// One line: `order-type: YRO; iom: no; ...`.
    public static func line(_ items: [(key: String, label: String, value: String)]) -> String {
        items.map { "\($0.key.dropFirst(prefix.count)): \($0.value)" }.joined(separator: "; ")
    }
}
