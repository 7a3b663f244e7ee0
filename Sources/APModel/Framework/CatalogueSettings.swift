/// The local settings of the framework (001 Annex A items 3 and 4): local questions,
/// mandatory keys by kind, further-exploration triggers and their referrals, required
/// ratings, kinds' extra sections and bank holidays. Each change is validated here, so
/// `ap config` subcommands and a hand-edited file meet the same rules.
extension Config {
    public mutating func addLocalQuestion(key: String, section: String, label: String, type: String) throws {
        try AnswerKey.validate(key)
        let catalogue = self.catalogue
        guard let known = catalogue.section(section) else {
            throw APError.usage(
                "unknown section '\(section)'; sections: \(catalogue.sections.map(\.slug).joined(separator: ", "))")
        }
        guard key.hasPrefix(known.slug + "."), key.count > known.slug.count + 1 else {
            throw APError.usage(
                "a question of section '\(section)' has a key that starts '\(section).', e.g. \(section).local-notes")
        }
        guard !key.hasSuffix(Catalogue.explanationSuffix) else {
            throw APError.usage(
                "'\(key)' ends in '\(Catalogue.explanationSuffix)', kept for the explanations of triggers")
        }
        if let existing = catalogue.question(key) {
            throw APError.exists("question '\(key)' already exists (\(existing.local ? "local" : "shipped with ap"))")
        }
        guard let t = QuestionType(rawValue: type), QuestionType.localTypes.contains(t) else {
            throw APError.usage("unknown question type '\(type)'; types: \(QuestionType.localNames)")
        }
        let label = label.trimmingNewlines
        guard !label.isEmpty, label.utf8.count <= 200 else {
            throw APError.usage("--label needs a text of 1 to 200 bytes")
        }
        localQuestions.append(Question(key: key, label: label, section: section, type: t, local: true))
    }

    public mutating func removeLocalQuestion(_ key: String) throws {
        guard let i = localQuestions.firstIndex(where: { $0.key == key }) else {
            let shipped = catalogue.question(key) != nil
            throw APError.notFound(
                shipped ? "'\(key)' is shipped with ap and cannot be removed" : "no local question '\(key)'")
        }
        localQuestions.remove(at: i)
        furtherExploration.removeAll { $0 == key }
        referrals[key] = nil
        for kind in mandatory.keys {
            mandatory[kind]?.removeAll { $0 == key || $0 == key + Catalogue.explanationSuffix }
        }
    }

    /// Makes `keys` mandatory (or not) for stages of `kind`; each must be a question the kind holds.
    public mutating func setMandatory(kind slug: String, keys: [String], add: Bool) throws {
        let kind = try stageKind(slug).slug
        let catalogue = self.catalogue
        var list = mandatory[kind] ?? []
        for key in keys {
            if add {
                guard catalogue.question(key) != nil else { throw APError.data("unknown question '\(key)'") }
                guard catalogue.holds(kind: kind, key: key) else {
                    throw APError.data("question '\(key)' is not part of a \(kindName(kind)) stage")
                }
                if !list.contains(key) { list.append(key) }
            } else {
                guard list.contains(key) else { throw APError.notFound("'\(key)' is not mandatory for \(kind)") }
                list.removeAll { $0 == key }
            }
        }
        mandatory[kind] = list.isEmpty ? nil : list
    }

    /// Makes a yes-no question a further-exploration trigger flagging `referral`, or names
    /// another referral for a shipped trigger.
    public mutating func setTrigger(_ key: String, referral: String) throws {
        guard let q = catalogue.question(key) else { throw APError.data("unknown question '\(key)'") }
        guard q.type == .yesNo else {
            throw APError.data("'\(key)' is a \(q.type.rawValue) question; triggers are yes-no questions")
        }
        let text = referral.trimmingNewlines
        guard !text.isEmpty, text.utf8.count <= 200 else {
            throw APError.usage("--referral needs a text of 1 to 200 bytes")
        }
        if !q.isTrigger { furtherExploration.append(key) }
        referrals[key] = text
    }

    /// Undoes `setTrigger`: a local trigger stops being one; a shipped one flags its shipped referral again.
    public mutating func removeTrigger(_ key: String) throws {
        let added = furtherExploration.contains(key)
        guard added || referrals[key] != nil else {
            let shipped = ShippedCatalogue.questions.contains { $0.key == key && $0.isTrigger }
            throw APError.notFound(
                shipped
                    ? "'\(key)' is a shipped trigger with its shipped referral; nothing to remove"
                    : "'\(key)' is not a trigger")
        }
        furtherExploration.removeAll { $0 == key }
        referrals[key] = nil
    }

    /// The ratings a stage of `kind` needs to submit; none for an empty list.
    public mutating func setRequiredRatings(kind slug: String, ratings: [String]) throws {
        let kind = try stageKind(slug).slug
        for r in ratings where !Ratings.keys.contains(r) {
            throw APError.usage("unknown rating '\(r)'; ratings: \(Ratings.keys.joined(separator: ", "))")
        }
        requiredRatings[kind] = ratings.isEmpty ? [] : ratings
    }

    /// Lets stages of `kind` hold another section or module, or takes back one added.
    public mutating func setKindSection(kind slug: String, section: String, add: Bool) throws {
        let kind = try stageKind(slug).slug
        let catalogue = self.catalogue
        guard catalogue.section(section) != nil else {
            throw APError.usage(
                "unknown section '\(section)'; sections: \(catalogue.sections.map(\.slug).joined(separator: ", "))")
        }
        var list = kindSections[kind] ?? []
        if add {
            guard !catalogue.sections(ofKind: kind).contains(section) else {
                throw APError.exists("a \(kindName(kind)) stage already holds '\(section)'")
            }
            list.append(section)
        } else {
            guard list.contains(section) else {
                throw APError.notFound("'\(section)' was not added to \(kind) by this repository")
            }
            list.removeAll { $0 == section }
        }
        kindSections[kind] = list.isEmpty ? nil : list
    }

    public mutating func setBankHoliday(_ text: String, add: Bool) throws {
        guard let day = Day(text) else { throw APError.usage("'\(text)' is not a date like 2031-01-01") }
        let d = day.description
        if add {
            guard !extraBankHolidays.contains(d), !shippedBankHolidays.contains(where: { $0.0 == d }) else {
                throw APError.exists("\(d) is already a bank holiday")
            }
            extraBankHolidays.append(d)
            extraBankHolidays.sort()
        } else {
            guard extraBankHolidays.contains(d) else {
                throw APError.notFound("\(d) was not added by this repository (shipped bank holidays stay)")
            }
            extraBankHolidays.removeAll { $0 == d }
        }
    }
}
