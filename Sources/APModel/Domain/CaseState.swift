/// The key event that ended a looked-after status a remand made, and its date as given.
public struct RemandEnd: Equatable, Sendable {
    public var event: String
    public var date: String
}

/// A case as its events make it. Never edited directly: `derive` replays the events.
public struct CaseState: Equatable, Sendable {
    public var id: String
    public var name = ""
    public var dob = ""
    public var lookedAfter = false
    /// `care-order`, `section-20`, `remand` or `other`; nil while unspecified (004).
    public var lookedAfterBasis: String?
    /// The local authority the court made responsible for a looked-after child (003 §1.7),
    /// which may not be the home YOT's.
    public var designatedAuthority: String?
    /// A looked-after status by remand that ended (004 §§23–24): the event and its date.
    public var remandLookedAfterEnded: RemandEnd?
    /// The MAPPA level the young person is managed at: `1`, `2`, `3` or `none` (002 §11.5).
    public var mappaLevel: String?
    public var createdAt: Timestamp
    public var createdBy = ""
    public var updatedAt: Timestamp
    public var stages: [Stage] = []
    /// The YOT holding case responsibility; nil only in cases written before YOTs were recorded.
    public var home: YOT?
    /// The YOT caretaking, while an arrangement lasts.
    public var host: YOT?
    public var caretakingSince: Timestamp?
    /// No later than three months after caretaking was accepted (002 §12.1).
    public var reviewDate: Day?
    public var transfers: [Transfer] = []
    /// Court hearings, remands, meetings and the rest `ap record` took, in the order recorded.
    public var keyEvents: [KeyEvent] = []
    /// Whether the young person is known to social care (`known`, `not-known`), since when
    /// known, and the allocated social worker (004 §2).
    public var socialCare: String?
    public var socialCareKnownSince: Timestamp?
    public var socialWorker: String?
    /// Case managers, co-workers and teams, oldest first (`ap case allocate`; 002).
    public var allocations: [Allocation] = []
    /// Decisions two copies disagreed on, recorded by a merge, until a manager reviews them.
    public var needsReview: [ReviewItem] = []
    /// How the young person identifies: `female`, `male`, `other`, `unknown` (002 §2.2).
    public var gender: String?
    /// Referrals flagged by submitted stages, in the order flagged.
    public var referrals: [Referral] = []
    /// Packages imported into this copy, by package id.
    public var importedPackages: [String] = []
    /// Stages a manager stopped to accept an update (`supersede` in the stop's payload): seen
    /// ahead of the replay, they neither stop nor are stopped by a stage that starts while
    /// they are open; their own stop closes them, naming that manager.
    var withdrawn: Set<String> = []
    /// Key events voided or given their right date, also seen ahead of the replay.
    var corrections = Corrections.Applied()

    public init(id: String, createdAt: Timestamp) {
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    /// The stage in progress or awaiting countersignature, if any (at most one).
    public var openStage: Stage? { openStageIndex.map { stages[$0] } }

    public func stage(_ id: String) -> Stage? { stageIndex(id).map { stages[$0] } }

    /// The stage named by its id or, as git takes a short SHA, by a prefix only it has.
    public func stage(named text: String) throws -> Stage {
        try stage(Prefix.resolve(text, among: stages.map(\.id), what: "stage", in: "case '\(id)'"))!
    }

    // The two searches below read one field per stage through a buffer pointer: the
    // collection methods (and closures) copied every stage they looked at, which made
    // replaying a history of hundreds of stages slow.

    /// Where the stage in progress or awaiting countersignature is, searching from the latest.
    var openStageIndex: Int? {
        stages.withUnsafeBufferPointer { b in
            var i = b.count - 1
            while i >= 0, !b[i].status.isOpen { i -= 1 }
            return i >= 0 ? i : nil
        }
    }

    /// The latest open stage not among `ids`.
    func openStageIndex(notIn ids: Set<String>) -> Int? {
        stages.lastIndex { $0.status.isOpen && !ids.contains($0.id) }
    }

    /// Where stage `id` is, searching from the latest (most events concern it).
    func stageIndex(_ id: String) -> Int? {
        stages.withUnsafeBufferPointer { b in
            var i = b.count - 1
            while i >= 0, b[i].id != id { i -= 1 }
            return i >= 0 ? i : nil
        }
    }

    public func transfer(_ id: String) -> Transfer? { transfers.first(where: { $0.id == id }) }

    /// The part `yot` plays in this case.
    public func holding(for yot: String) -> Holding { .of(yot, home: home?.code, host: host?.code) }

    /// Whether `other` names the same young person: name (ignoring case) and date of birth.
    public func isSamePerson(as other: CaseState) -> Bool {
        name.lowercased() == other.name.lowercased() && dob == other.dob
    }

    public var pendingTransfer: Transfer? { transfers.last(where: { $0.status == .pending }) }

    /// The stage whose answers a new stage pulls forward: the latest completed or stopped one
    /// (001 §2.3: after a stop for re-allocation the new owner starts from the work done) of a
    /// kind that holds the assessment, so that a stage of a module alone (a Transfer YOT to YOT
    /// stage) does not leave it behind; else the latest of any kind. At a host YOT, its own
    /// latest countersigned assessment comes first, not a draft of the home's it was sent.
    public func pullForwardSource(here: String? = nil, holding assessment: (String) -> Bool) -> Stage? {
        let done = stages.filter { $0.status == .completed || $0.status == .stopped }
        if let here, holding(for: here) == .host,
            let own = done.last(where: { $0.ownerYOT == here && $0.countersignedAt != nil && assessment($0.kind) })
        {
            return own
        }
        return done.last { assessment($0.kind) } ?? done.last
    }

    /// Replays events in (time, id) order. Total over any set of well-formed events, so
    /// that merged histories always derive: a stage started while another is open stops
    /// the earlier one ("superseded in merge"), and entries for a stage that is no longer
    /// open are kept in the history but change nothing.
    public static func derive(id: String, events: [Event]) throws -> CaseState {
        // Files and merges hand over events already in order: check before sorting.
        // Index loops throughout: iterating the values copied every event.
        var inOrder = true
        for i in events.indices.dropFirst() where Event.replayOrder(events[i], events[i - 1]) {
            inOrder = false
            break
        }
        let ordered = inOrder ? events : events.sorted(by: Event.replayOrder)
        guard let first = ordered.first else { throw APError.data("case '\(id)' has no events") }
        guard first.type == EventType.caseCreated else {
            throw APError.data("the first event of case '\(id)' is '\(first.type)', not '\(EventType.caseCreated)'")
        }
        var state = CaseState(id: id, createdAt: first.at)
        for i in ordered.indices where Corrections.types.contains(ordered[i].type) {
            state.corrections.read(ordered[i])
        }
        for i in ordered.indices where ordered[i].type == EventType.stageStopped {
            let p = ordered[i].payload
            guard p["supersede"] == .bool(true), let stage = p["stage"]?.stringValue else { continue }
            state.withdrawn.insert(stage)
        }
        for i in ordered.indices {
            let eventID = ordered[i].id, type = ordered[i].type
            let p = try JSONReader(.object(ordered[i].payload), path: "event \(eventID) (\(type)) payload")
            try state.apply(ordered[i], p)
            state.updatedAt = ordered[i].at
        }
        return state
    }

    /// Applies one event after those already applied (for tools that build long histories);
    /// a void or correction of a key event needs the whole history (`derive`).
    public mutating func apply(_ event: Event) throws {
        try apply(event, try JSONReader(.object(event.payload), path: "event \(event.id) (\(event.type)) payload"))
        updatedAt = event.at
    }

    mutating func apply(_ e: Event, _ p: JSONReader) throws {
        switch e.type {
        case EventType.caseCreated:
            if createdBy.isEmpty { createdBy = e.by; createdAt = e.at }
            try applyFields(p, at: e.at)
        case EventType.caseUpdated:
            try applyFields(p, at: e.at)
        case EventType.caseMerged:
            break
        case EventType.mergeConflict:
            let decisions = try p.array("decisions").map { value -> (type: String, by: String, at: Timestamp) in
                let d = try JSONReader(value, path: p.path + ".decisions")
                return (try d.string("type"), try d.string("by"), try d.timestamp("at"))
            }
            let subject = try p.string("subject")
            needsReview.append(ReviewItem(
                event: e.id, subject: subject, id: try p.optionalString(subject) ?? "", decisions: decisions,
                winner: try p.string("winner")))
        case EventType.caseResolved:
            needsReview = []
        case EventType.caseRecorded:
            try applyKeyEvent(e, p)
        case EventType.recordVoided, EventType.recordCorrected:
            break  // seen ahead of the replay (`corrections`); `CaseFile.append` derives again
        case EventType.caseAllocated:
            try applyAllocation(e, p)
        case EventType.stageSent:
            let send = StageSend(
                at: e.at, by: e.by, to: try Organisation(json: .object(try p.object("to")), path: p.path + ".to"),
                package: try p.string("package"), keys: try p.strings("keys"))
            guard let i = stageIndex(try p.string("stage")) else {
                throw APError.data("\(p.path): no stage '\(try p.string("stage"))' started before it")
            }
            stages[i].sends.append(send)
        case EventType.transferSent:
            let kind = try p.string("kind")
            guard let k = Transfer.Kind(rawValue: kind) else { throw APError.data("\(p.path): unknown transfer kind '\(kind)'") }
            let id = try p.string("transfer")
            guard transfer(id) == nil else { throw APError.data("\(p.path): transfer '\(id)' sent twice") }
            transfers.append(Transfer(
                id: id, kind: k, from: try YOT(json: .object(try p.object("from")), path: p.path + ".from"),
                to: try YOT(json: .object(try p.object("to")), path: p.path + ".to"), sentAt: e.at, sentBy: e.by,
                stage: try p.optionalString("stage")))
        case EventType.transferAccepted, EventType.transferRejected:
            let id = try p.string("transfer")
            guard let i = transfers.firstIndex(where: { $0.id == id }) else {
                throw APError.data("\(p.path): no transfer '\(id)' sent before it")
            }
            let accepting = e.type == EventType.transferAccepted
            switch transfers[i].status {
            case .pending: break
            case .accepted where accepting, .rejected where !accepting: return
            case .accepted:
                // Another copy accepted it earlier; this later rejection wins: undo the acceptance.
                if transfers[i].kind != .update {
                    home = transfers[i].from
                    host = nil
                    caretakingSince = nil
                    reviewDate = nil
                }
                transfers[i].hostTasks = nil
                transfers[i].homeTasks = nil
            case .rejected:
                transfers[i].reason = nil
                transfers[i].detail = nil
            }
            transfers[i].decidedAt = e.at
            transfers[i].decidedBy = e.by
            if e.type == EventType.transferRejected {
                transfers[i].status = .rejected
                transfers[i].reason = try p.string("reason")
                transfers[i].detail = try p.optionalString("detail")
                return
            }
            transfers[i].status = .accepted
            transfers[i].hostTasks = try p.optionalString("hostTasks")
            transfers[i].homeTasks = try p.optionalString("homeTasks")
            let t = transfers[i]
            switch t.kind {
            case .complete:
                home = t.to
                host = nil
                caretakingSince = nil
                reviewDate = nil
            case .caretaking:
                home = t.from
                host = t.to
                caretakingSince = e.at
                reviewDate = try p.optionalString("reviewDate").flatMap(Day.init)
            case .update:
                break
            }
        case EventType.transferImported:
            importedPackages.append(try p.string("package"))
        case EventType.caretakingEnded:
            let outcome = try p.string("outcome")
            if outcome == "complete-transfer" { home = host }
            host = nil
            caretakingSince = nil
            reviewDate = nil
        case EventType.caretakingReviewed:
            if host != nil { reviewDate = Day(try p.string("next")) ?? reviewDate }
        case EventType.stageStarted:
            let stageID = try p.string("stage")
            guard stage(stageID) == nil else { throw APError.data("\(p.path): stage '\(stageID)' started twice") }
            let open = withdrawn.isEmpty ? openStageIndex : openStageIndex(notIn: withdrawn)
            if !withdrawn.contains(stageID), let open {
                stages[open].status = .stopped
                stages[open].stoppedAt = e.at
                stages[open].stoppedBy = e.by
                stages[open].stopReason = Merge.supersededReason
            }
            var s = Stage(id: stageID, kind: try p.string("kind"), owner: try p.string("owner"), startedAt: e.at, startedBy: e.by)
            s.ownerYOT = e.yot
            s.pulledFrom = try p.optionalString("pulledFrom")
            s.due = try p.optionalString("due").flatMap(Day.init)
            s.involvementEnded = try p.optionalString("involvementEnded").flatMap(Day.init)
            for (key, value) in try p.object("pulled") {
                guard let text = value.stringValue else { throw APError.data("\(p.path): pulled answer '\(key)' must be a string") }
                s.answers[key] = Answer(value: text, at: e.at, by: s.owner, pulled: true)
            }
            if p.object["pulledEntries"] != nil {
                let pulled = try JSONReader(.object(try p.object("pulledEntries")), path: p.path + ".pulledEntries")
                for part in pulled.object.keys {
                    s.entries[part] = try pulled.array(part).map { v in
                        let r = try JSONReader(v, path: p.path + ".pulledEntries." + part)
                        return Entry(
                            id: try r.string("entry"), fields: try r.stringFields("fields"), at: e.at, by: s.owner,
                            pulled: true)
                    }
                }
            }
            stages.append(s)
        case EventType.stageAnswered:
            try updateOpenStage(p, allowed: [.inProgress]) { s in
                for (key, value) in try p.object("answers") {
                    guard let text = value.stringValue else { throw APError.data("\(p.path): answer '\(key)' must be a string") }
                    if text.isEmpty {
                        if s.answers.removeValue(forKey: key) != nil {
                            s.cleared.append(Clearing(key: key, at: e.at, by: e.by))
                        }
                    } else {
                        s.answers[key] = Answer(value: text, at: e.at, by: e.by, pulled: false)
                    }
                }
                s.writers.insert(e.by)
            }
        case EventType.entryAdded, EventType.entryEdited, EventType.entryRemoved:
            try updateOpenStage(p, allowed: [.inProgress]) { s in try s.applyEntry(e, p) }
        case EventType.stageSubmitted:
            let criteria = try p.strings("criteria")
            let unclear = try p.optionalInt("yetToClarifyPercent")
            try updateOpenStage(p, allowed: [.inProgress]) { s in
                s.yetToClarifyPercent = unclear
                s.submittedAt = e.at
                s.submittedBy = e.by
                s.criteria = criteria
                if criteria.isEmpty {
                    s.status = .completed
                    s.completedAt = e.at
                } else {
                    s.status = .awaitingCountersignature
                }
            }
            try raiseReferrals(p, stage: try p.string("stage"), at: e.at)
        case EventType.referralMade, EventType.referralOutcome:
            try applyReferral(e, p)
        case EventType.stageCountersigned:
            let comment = try p.optionalString("comment")
            // Another copy returned this submission earlier: the latest decision wins.
            if let i = stageIndex(try p.string("stage")), stages[i].status == .inProgress,
                let submitted = stages[i].submittedAt, let returned = stages[i].returns.last, submitted < returned.at
            {
                stages[i].status = .awaitingCountersignature
            }
            try updateOpenStage(p, allowed: [.awaitingCountersignature]) { s in
                s.status = .completed
                s.completedAt = e.at
                s.countersignedAt = e.at
                s.countersignedBy = e.by
                s.countersignComment = comment
            }
        case EventType.stageReturned:
            let reason = try p.string("reason")
            // Another copy countersigned this submission earlier: the latest decision wins.
            if let i = stageIndex(try p.string("stage")), stages[i].status == .completed,
                let submitted = stages[i].submittedAt, let signed = stages[i].countersignedAt, submitted < signed
            {
                stages[i].status = .awaitingCountersignature
                stages[i].completedAt = nil
                stages[i].countersignedAt = nil
                stages[i].countersignedBy = nil
                stages[i].countersignComment = nil
            }
            try updateOpenStage(p, allowed: [.awaitingCountersignature]) { s in
                s.status = .inProgress
                s.returns.append(Return(at: e.at, by: e.by, reason: reason))
            }
        case EventType.stageWithdrawn:
            try updateOpenStage(p, allowed: [.awaitingCountersignature]) { s in
                s.status = .inProgress
                s.withdrawals.append(Return(at: e.at, by: e.by, reason: try p.string("reason")))
            }
        case EventType.stageStopped:
            let reason = try p.string("reason")
            try updateOpenStage(p, allowed: [.inProgress, .awaitingCountersignature]) { s in
                s.status = .stopped
                s.stoppedAt = e.at
                s.stoppedBy = e.by
                s.stopReason = reason
            }
        case EventType.stageAssigned:
            let section = try p.string("section"), user = try p.string("user")
            try updateOpenStage(p, allowed: [.inProgress, .awaitingCountersignature]) { s in
                s.contributors[section] = user
            }
        case EventType.stageUnassigned:
            let section = try p.string("section")
            try updateOpenStage(p, allowed: [.inProgress, .awaitingCountersignature]) { s in
                s.contributors[section] = nil
            }
        default:
            throw APError.data("unknown event type '\(e.type)' in event \(e.id); was it written by a newer ap?")
        }
    }

    mutating func applyFields(_ p: JSONReader, at: Timestamp) throws {
        if p.object["home"] != nil { home = try YOT(json: .object(try p.object("home")), path: p.path + ".home") }
        if let n = try p.optionalString("name") { name = n }
        if let d = try p.optionalString("dob") { dob = d }
        if let status = try p.optionalString("socialCare") {
            if status == "known", socialCare != "known" { socialCareKnownSince = at }
            if status != "known" { socialCareKnownSince = nil }
            socialCare = status
        }
        if let worker = try p.optionalString("socialWorker") { socialWorker = worker }
        if let g = try p.optionalString("gender") { gender = g }
        if let level = try p.optionalString("mappaLevel") { mappaLevel = level }
        if p.object["lookedAfter"] != nil {
            lookedAfter = try p.bool("lookedAfter", default: lookedAfter)
            lookedAfterBasis = lookedAfter ? try p.optionalString("lookedAfterBasis") : nil
            remandLookedAfterEnded = nil
            if !lookedAfter { designatedAuthority = nil }
        }
        if let authority = try p.optionalString("designatedAuthority") { designatedAuthority = authority }
    }

    /// Applies `change` to the named stage when its status is one of `allowed`; otherwise
    /// the event stays in the history without effect (only reachable through a merge).
    mutating func updateOpenStage(_ p: JSONReader, allowed: [StageStatus], _ change: (inout Stage) throws -> Void) throws {
        let stageID = try p.string("stage")
        guard let i = stageIndex(stageID) else {
            throw APError.data("\(p.path): no stage '\(stageID)' started before it")
        }
        guard allowed.contains(stages[i].status) else { return }
        try change(&stages[i])
    }
}

extension CaseState {
    /// A key event: remands make the young person looked after, with basis `remand`, unless
    /// already looked after on another basis (004 §24).
    mutating func applyKeyEvent(_ e: Event, _ p: JSONReader) throws {
        let kind = try p.string("event")
        // Voided: as if never recorded; corrected: as if recorded with its right date.
        guard !corrections.voided.contains(e.id) else { return }
        let fixed = corrections.dates[e.id]
        let happened = try fixed?.happenedAt ?? p.timestamp("happenedAt")
        let at = p.object["at"] == nil ? nil : try Organisation(json: .object(try p.object("at")), path: p.path + ".at")
        keyEvents.append(KeyEvent(
            id: e.id, kind: kind, date: try fixed?.date ?? p.string("date"), happenedAt: happened, at: at,
            note: try p.optionalString("note"), chair: try p.optionalString("chair"),
            custodyPossible: try p.bool("custodyPossible", default: false),
            breach: try p.bool("breach", default: false), updatesBy: try p.optionalString("updatesBy"),
            team: try p.optionalString("team"),
            reason: try p.optionalString("reason"),
            reportedBy: try p.optionalString("reportedBy"), recordedAt: e.at, recordedBy: e.by))
        if kind == "three-way-meeting", let pending = pendingTeamTransfer(at: e.at),
            !(happened < UKClock.instant(UKClock.day(of: pending.at)))
        {
            completeInternalTransfer(at: happened, recorded: e.at)
        }
        if KeyEventKind.remands.contains(kind), !lookedAfter {
            lookedAfter = true
            lookedAfterBasis = CaseRules.remandBasis
            remandLookedAfterEnded = nil
        }
        // Sentence, bail or release ends a looked-after status the remand made (004 §§23–24).
        if try p.bool("endsRemandLookedAfter", default: false), lookedAfter, lookedAfterBasis == CaseRules.remandBasis {
            lookedAfter = false
            lookedAfterBasis = nil
            designatedAuthority = nil
            remandLookedAfterEnded = RemandEnd(event: kind, date: keyEvents.last?.date ?? "")
        }
    }

    /// An open case whose social-care status was never recorded: ap prompts for it (004 §2).
    public var socialCareUnrecorded: Bool { socialCare == nil && latest(["involvement-ended"]) == nil }

    /// The latest key event of one of `kinds` by when it happened.
    public func latest(_ kinds: Set<String>) -> KeyEvent? {
        keyEvents.filter { kinds.contains($0.kind) }.max { $0.happenedAt < $1.happenedAt }
    }

    /// Remanded to youth detention accommodation and the establishment's Entering into Custody
    /// stage not yet received: the YOT's PSR waits for it (003 §3.6).
    public var awaitingEnteringCustody: KeyEvent? {
        guard let remand = latest(["remanded-yda", "released"]), remand.kind == "remanded-yda" else { return nil }
        let received = keyEvents.contains {
            $0.kind == "entering-custody-notified" && !($0.happenedAt < remand.happenedAt)
        }
        return received ? nil : remand
    }
}
