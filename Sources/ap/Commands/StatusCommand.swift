import APModel

/// `ap status`: what needs doing now, for the acting user, else the repository's totals.
enum StatusCommand {
    static let command = Command(
        path: ["status"], summary: "what needs your attention now: your stages, the queue, obligations, transfers",
        usage: "",
        details: """
            With an acting user: your stages in progress and their working days left, those
            returned to you, those awaiting countersignature and the sections of others' stages
            allocated to you; for a manager, the queue and
            how much of it is overdue; obligations due on your cases ('ap due --mine'); for
            everyone, obligations open and overdue, transfers awaiting a decision, caretaking
            reviews due and a batch left half written. With no user, the repository's totals.
            """,
        examples: ["AP_USER=pat ap status", "ap status --json"],
        run: { inv in
            let repo = try inv.context.repository()
            let config = try repo.loadConfig()
            let user = inv.context.actingUser
            // Rows that can only be counted are counted, not decoded.
            let id = user.map { Array($0.utf8) }
            let scan = try CaseIndex.summaries(
                repo, decode: { RepositoryStatus.worthDecoding($0, user: id) }, progress: inv.context.indexProgress,
                now: inv.context.now)
            UntilExit.keep(scan)
            let status = RepositoryStatus.of(
                scan.summaries, user: user, here: config.yotCode, today: inv.context.today,
                calendar: WorkingDays(extraHolidays: config.extraBankHolidays), timescale: config.timescale,
                kindName: config.kindName, now: try inv.context.clock().now(), absences: config.absences,
                rules: config.obligationRule, skipped: scan.skipped)
            let transfers = try repo.transferRecords().filter {
                $0.direction == .incoming && $0.package.type == .request && repo.currentStatus($0) == "pending"
            }
            let journal = FileSystem.exists(repo.root + "/.ap/journal")
            // What 'ap fsck' would warn of, from the checks that read no case file.
            var warnings = [".ap", ".ap/transfers"].flatMap { Fsck.leftovers(repo, $0, repair: false) }.map(\.problem)
            let git = Git(root: repo.root)
            if git.isRepository, !git.driverConfigured() { warnings.append("git does not merge case files with ap") }
            // Said on a line of its own: a state of the repository, not something fsck repairs.
            let unsigned = try repo.identity() == nil
            let manager = user.flatMap { config.users[$0] }?.has(.manager) ?? false
            return Output(
                text: text(status, user: user, manager: manager, transfers: transfers.count, journal: journal)
                    + (warnings.isEmpty
                        ? "" : "\n\(warnings.count) repository warning\(warnings.count == 1 ? "" : "s"); 'ap fsck'\n")
                    + (unsigned ? "warning: \(Fsck.signaturesOffWarning)\n" : ""),
                json: {
                    guard case .object(var o) = json(status, transfers: transfers, journal: journal) else {
                        return .null
                    }
                    o["repositoryWarnings"] = .array(warnings.map(JSONValue.string))
                    o["signatures"] = .string(unsigned ? "off" : "required")
                    return .object(o)
                }(),
                warnings: scan.problems.map { "\($0.path): \($0.message)" })
        })

    static func text(_ s: RepositoryStatus, user: String?, manager: Bool, transfers: Int, journal: Bool) -> String {
        func list(_ title: String, _ items: [RepositoryStatus.Item]) -> String {
            guard !items.isEmpty else { return "" }
            return "\n\(title):\n"
                + items.map { i in
                    "  \(i.caseID)  \(i.name): \(i.what)"
                        + (i.left.map { $0 < 0 ? " (\(-$0) working days overdue)" : " (\($0) left)" } ?? "")
                }.joined(separator: "\n") + "\n"
        }
        var out =
            "\(s.cases) case\(s.cases == 1 ? "" : "s"), \(s.openStages) open stage\(s.openStages == 1 ? "" : "s"), "
            + "\(s.awaiting) awaiting countersignature, \(s.overdue) overdue\n"
        if user != nil, s.managing + s.coWorking > 0 {
            out += "You manage \(s.managing) case\(s.managing == 1 ? "" : "s")"
                + (s.coWorking > 0 ? " and co-work \(s.coWorking)" : "") + " ('ap case list --manager \(user!)')\n"
        }
        if user != nil {
            out +=
                list("Your stages in progress", s.mine) + list("Returned to you for amendment", s.returned)
                + list("Yours, awaiting countersignature", s.waiting)
                + list("Sections allocated to you", s.contributing)
            if manager && s.awaiting > 0 {
                out += "\nThe queue: \(s.awaiting) stage\(s.awaiting == 1 ? "" : "s") to countersign; 'ap queue'\n"
            }
        }
        if user != nil, !s.obligationsMine.isEmpty {
            out += "\nDue on your cases:\n" + s.obligationsMine.map { e in
                "  \(e.caseID)  \(e.name): \(e.rule.what), due \(UKClock.label(e.due)) (\(DueList.timing(e)))\n"
            }.joined()
        }
        if s.obligations > 0 {
            out += "\n\(s.obligations) obligation\(s.obligations == 1 ? "" : "s") open, "
                + "\(s.obligationsOverdue) overdue; 'ap due'\n"
        }
        out += list("Social-care status to record on your cases (004 §2)", s.socialCareUnrecordedMine)
        if s.socialCareUnrecorded > 0 {
            let n = s.socialCareUnrecorded
            out += "\n\(n) open case\(n == 1 ? " has" : "s have") no social-care status recorded (004 §2); "
                + "'ap case list --social-care unrecorded'\n"
        }
        if transfers > 0 {
            out += "\n\(transfers) transfer\(transfers == 1 ? "" : "s") received await a decision; "
                + "'ap transfer list --incoming'\n"
        }
        out += list("Caretaking reviews due", s.caretakingReviewsDue)
        out += list("Needs review after a merge", s.needsReview)
        if journal { out += "\nA batch was interrupted while writing; the next command that writes finishes it.\n" }
        if user != nil && s.mine.isEmpty && s.returned.isEmpty && s.waiting.isEmpty {
            out += "\nNothing of yours is open.\n"
        }
        return out
    }

    static func json(_ s: RepositoryStatus, transfers: [TransferRecord], journal: Bool) -> JSONValue {
        func items(_ list: [RepositoryStatus.Item]) -> JSONValue {
            .array(
                list.map { i in
                    var o: [String: JSONValue] = [
                        "case": .string(i.caseID), "name": .string(i.name), "what": .string(i.what),
                    ]
                    if let left = i.left { o["workingDaysLeft"] = .int(left) }
                    return .object(o)
                })
        }
        return [
            "cases": .int(s.cases), "openStages": .int(s.openStages), "awaitingCountersignature": .int(s.awaiting),
            // `overdue` is a yes-or-no in every row; the count is `stagesOverdue` (`overdue` kept for old scripts).
            "stagesOverdue": .int(s.overdue), "overdue": .int(s.overdue),
            "mine": items(s.mine), "returned": items(s.returned),
            "awaitingMine": items(s.waiting), "contributing": items(s.contributing),
            "transfersAwaitingDecision": .array(transfers.map { .string($0.package.transfer) }),
            "caretakingReviewsDue": items(s.caretakingReviewsDue), "interruptedBatch": .bool(journal),
            "needsReview": items(s.needsReview),
            "managing": .int(s.managing), "coWorking": .int(s.coWorking),
            "obligationsOpen": .int(s.obligations), "obligationsOverdue": .int(s.obligationsOverdue),
            "obligationsMine": .array(s.obligationsMine.map(CustodyCommands.json)),
            "socialCareUnrecorded": .int(s.socialCareUnrecorded),
            "socialCareUnrecordedMine": items(s.socialCareUnrecordedMine),
        ]
    }
}
