/// The derived state as written into the case file (ap-case(5)). It is derived data:
/// readers may use it, `ap` checks it against the events on every load.
extension CaseState {
    public var json: JSONValue {
        var out: [String: JSONValue] = [
            "id": .string(id),
            "name": .string(name),
            "dob": .string(dob),
            "lookedAfter": .bool(lookedAfter),
            "createdAt": .string(createdAt.description),
            "createdBy": .string(createdBy),
            "updatedAt": .string(updatedAt.description),
            "stages": .array(stages.map(\.json)),
        ]
        if let open = openStage { out["openStage"] = .string(open.id) }
        if let basis = lookedAfterBasis { out["lookedAfterBasis"] = .string(basis) }
        if let authority = designatedAuthority { out["designatedAuthority"] = .string(authority) }
        if let end = remandLookedAfterEnded {
            out["remandLookedAfterEnded"] = ["event": .string(end.event), "date": .string(end.date)]
        }
        if let home { out["home"] = home.json }
        if let host { out["host"] = host.json }
        if let t = caretakingSince { out["caretakingSince"] = .string(t.description) }
        if let d = reviewDate { out["reviewDate"] = .string(d.description) }
        if !transfers.isEmpty { out["transfers"] = .array(transfers.map(\.json)) }
        if !needsReview.isEmpty { out["needsReview"] = .array(needsReview.map(\.json)) }
        if !allocations.isEmpty { out["allocations"] = .array(allocations.map(\.json)) }
        if let gender { out["gender"] = .string(gender) }
        if let mappaLevel { out["mappaLevel"] = .string(mappaLevel) }
        if !keyEvents.isEmpty { out["keyEvents"] = .array(keyEvents.map(\.json)) }
        if socialCare != nil || socialWorker != nil {
            var o: [String: JSONValue] = [:]
            if let socialCare { o["status"] = .string(socialCare) }
            if let t = socialCareKnownSince { o["knownSince"] = .string(t.description) }
            if let socialWorker { o["worker"] = .string(socialWorker) }
            out["socialCare"] = .object(o)
        }
        if !referrals.isEmpty { out["referrals"] = .array(referrals.map(\.json)) }
        if !importedPackages.isEmpty { out["importedPackages"] = .array(importedPackages.map(JSONValue.string)) }
        return .object(out)
    }
}

extension Stage {
    public var json: JSONValue {
        var out: [String: JSONValue] = [
            "id": .string(id),
            "kind": .string(kind),
            "owner": .string(owner),
            "status": .string(status.rawValue),
            "startedAt": .string(startedAt.description),
            "startedBy": .string(startedBy),
            "answers": .object(answers.mapValues { a in
                var o: [String: JSONValue] = ["value": .string(a.value), "at": .string(a.at.description), "by": .string(a.by)]
                if a.pulled { o["pulled"] = .bool(true) }
                return .object(o)
            }),
        ]
        func put(_ key: String, _ value: String?) { if let v = value { out[key] = .string(v) } }
        put("ownerYOT", ownerYOT)
        put("pulledFrom", pulledFrom)
        put("due", due?.description)
        put("involvementEnded", involvementEnded?.description)
        put("submittedAt", submittedAt?.description)
        put("submittedBy", submittedBy)
        if submittedAt != nil { out["criteria"] = .array(criteria.map(JSONValue.string)) }
        if let share = yetToClarifyPercent { out["yetToClarifyPercent"] = .int(share) }
        put("completedAt", completedAt?.description)
        put("countersignedBy", countersignedBy)
        put("countersignedAt", countersignedAt?.description)
        put("countersignComment", countersignComment)
        if !withdrawals.isEmpty {
            out["withdrawals"] = .array(withdrawals.map {
                ["at": .string($0.at.description), "by": .string($0.by), "reason": .string($0.reason)]
            })
        }
        if !returns.isEmpty {
            out["returns"] = .array(returns.map { ["at": .string($0.at.description), "by": .string($0.by), "reason": .string($0.reason)] })
        }
        put("stoppedAt", stoppedAt?.description)
        put("stoppedBy", stoppedBy)
        put("stopReason", stopReason)
        if !sends.isEmpty { out["sends"] = .array(sends.map(\.json)) }
        if !contributors.isEmpty { out["contributors"] = .object(contributors.mapValues(JSONValue.string)) }
        if !entries.isEmpty { out["entries"] = .object(entries.mapValues { .array($0.enumerated().map(entryJSON)) }) }
        return .object(out)
    }

    /// An entry with its number as shown (1, 2, ...), which `ap stage edit` and `remove` take.
    func entryJSON(_ i: Int, _ e: Entry) -> JSONValue {
        var o: [String: JSONValue] = [
            "n": .int(i + 1), "id": .string(e.id), "fields": .object(e.fields.mapValues(JSONValue.string)),
            "at": .string(e.at.description), "by": .string(e.by),
        ]
        if e.pulled { o["pulled"] = .bool(true) }
        if let t = e.changedAt { o["changedAt"] = .string(t.description) }
        if let by = e.changedBy { o["changedBy"] = .string(by) }
        return .object(o)
    }
}

extension Transfer {
    public var json: JSONValue {
        var out: [String: JSONValue] = [
            "id": .string(id), "kind": .string(kind.rawValue), "from": from.json, "to": to.json,
            "status": .string(status.rawValue), "sentAt": .string(sentAt.description), "sentBy": .string(sentBy),
        ]
        if let stage { out["stage"] = .string(stage) }
        if let t = decidedAt { out["decidedAt"] = .string(t.description) }
        if let by = decidedBy { out["decidedBy"] = .string(by) }
        if let r = reason { out["reason"] = .string(r) }
        if let d = detail { out["detail"] = .string(d) }
        if let tasks = hostTasks { out["hostTasks"] = .string(tasks) }
        if let tasks = homeTasks { out["homeTasks"] = .string(tasks) }
        return .object(out)
    }
}
