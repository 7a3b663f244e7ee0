/// Local times for obligation rules (`ap config obligation RULE --within 2d`): the seeds let a
/// YOT set its own, as Barnet asks the PSR at Placements two days before a hearing (001 §11.2.1)
/// where the protocol asks 24 hours (003 §2.1). The direction stays the rule's: before a
/// hearing, or after what started it.
extension ObligationRule {
    /// `48h`, `2d` or `5wd` (working days); a time before a hearing is in hours or days.
    public func within(_ text: String) throws -> ObligationRule {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits), ["h", "d", "wd"].contains(unit) else {
            throw APError.usage(
                "invalid time '\(text)' for \(id): use hours, days or working days, e.g. 48h, 2d, 5wd")
        }
        let limit = unit == "h" ? 24 * 366 : 366
        guard (unit == "h" ? 0 : 1)...limit ~= n else {
            throw APError.data("invalid time '\(text)' for \(id): at most \(limit)\(unit)")
        }
        var rule = self
        if case .hoursBefore = due {
            guard unit != "wd" else {
                throw APError.data("\(id) falls due before a hearing: give its time in hours or days, e.g. 48h or 2d")
            }
            rule.due = .hoursBefore(unit == "h" ? n : n * 24)
        } else {
            rule.due = unit == "h" ? .hoursAfter(n) : unit == "d" ? .daysAfter(n) : .workingDaysAfter(n)
        }
        return rule
    }
}

extension Config {
    /// A rule with this repository's time for it, if it set one.
    public func obligationRule(_ id: String) -> ObligationRule? {
        guard let rule = ObligationRule.named(id) else { return nil }
        return obligationTimes[id].flatMap { try? rule.within($0) } ?? rule
    }

    /// Sets a rule's local time, or with nil takes the shipped one back.
    public mutating func setObligationTime(rule id: String, within text: String?) throws {
        guard let rule = ObligationRule.named(id.lowercased()) else {
            throw APError.notFound("unknown obligation rule '\(id)'; 'ap config obligation' lists them")
        }
        if let text { _ = try rule.within(text) }
        obligationTimes[rule.id] = text
    }
}
