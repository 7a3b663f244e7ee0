/// Reports on how the framework is used (001 §17 items 2 and 5, Annex A item 4, Annex B).
extension Reports {
    /// Referrals flagged by a `yes` to a trigger question, in stages not stopped, and how each
    /// was followed through: made to whom and when, how many working days that took, and its
    /// outcome (`not-submitted` while the stage is not yet submitted).
    public static func referrals(
        _ stages: [StageFacts], records: [String: [Referral]] = [:], catalogue: Catalogue,
        calendar: WorkingDays = WorkingDays(), kindName: (String) -> String
    ) -> Report {
        var rows: [[String]] = []
        for s in stages where s.status != StageStatus.stopped.rawValue {
            for q in catalogue.referrals(s.answers) {
                let e = s.entered[q.key] ?? StageFacts.Entry(by: "", at: "")
                let r = referral(for: s, question: q.key, in: records[s.caseID] ?? [])
                let progress = r?.progress ?? (s.status == StageStatus.inProgress.rawValue ? "not-submitted" : "")
                rows.append([
                    s.caseID, s.name, s.stageID, kindName(s.kind), s.status, q.key, q.referral ?? "", e.by,
                    String(e.at.prefix(10)), r?.id ?? "", progress, r?.madeTo ?? "", r?.madeOn?.description ?? "",
                    r.map { daysToMake($0, calendar: calendar) } ?? "", r?.outcomeOn?.description ?? "",
                ])
            }
        }
        rows.sort { ($0[8], $0[0], $0[5]) < ($1[8], $1[0], $1[5]) }
        return Report(
            columns: [
                "case", "name", "stage", "kind", "status", "question", "referral", "answered-by", "answered",
                "referral-id", "progress", "made-to", "made", "days-to-make", "outcome-date",
            ],
            rows: rows)
    }

    /// Per practitioner (the stage owner): the trigger questions answered, how many were
    /// `yes` and so explored further, and the share of `yet-to-clarify` answers. Low
    /// exploration and high yet-to-clarify shares are what 001 §17 item 2 watches.
    public static func furtherExploration(_ stages: [StageFacts], catalogue: Catalogue) -> Report {
        struct Tally { var stages = 0, triggers = 0, yes = 0, explained = 0, answers = 0, unclear = 0 }
        let triggers = catalogue.triggers.map(\.key)
        var tallies: [String: Tally] = [:]
        for s in stages where s.status != StageStatus.stopped.rawValue {
            let answered = s.answers.values.filter { !$0.isEmpty }
            guard !answered.isEmpty else { continue }
            var t = tallies[s.owner] ?? Tally()
            t.stages += 1
            t.answers += answered.count
            t.unclear += answered.filter { $0 == AnswerKey.yetToClarify }.count
            for key in triggers {
                guard let v = s.answers[key], !v.isEmpty else { continue }
                t.triggers += 1
                if v == "yes" {
                    t.yes += 1
                    if !(s.answers[key + Catalogue.explanationSuffix] ?? "").isEmpty { t.explained += 1 }
                }
            }
            tallies[s.owner] = t
        }
        func percent(_ n: Int, _ of: Int) -> Int { of == 0 ? 0 : n * 100 / of }
        let rows = tallies.sorted { $0.key < $1.key }.map { owner, t in
            [
                owner, String(t.stages), String(t.triggers), String(t.yes), String(t.explained),
                String(percent(t.yes, t.triggers)),
                String(t.answers), String(t.unclear), String(percent(t.unclear, t.answers)),
            ]
        }
        return Report(
            columns: [
                "owner", "stages", "triggers", "explored", "explained", "explored-percent",
                "answers", "yet-to-clarify", "ytc-percent",
            ], rows: rows)
    }

    /// Completed stages of kinds that hold the self-assessment, and whether the young
    /// person's and the carer's were completed (001 §17 item 5).
    public static func selfAssessment(
        _ stages: [StageFacts], catalogue: Catalogue, kindName: (String) -> String
    ) -> Report {
        let rows = stages.filter {
            $0.status == StageStatus.completed.rawValue && catalogue.holds(kind: $0.kind, key: "sa.young-person")
        }.sorted { ($0.completedAt, $0.caseID) < ($1.completedAt, $1.caseID) }.map { s -> [String] in
            func done(_ key: String) -> String {
                s.answers[key] == "yes" ? "yes" : (s.answers[key] ?? "").isEmpty ? "missing" : s.answers[key]!
            }
            // Real completion: the questionnaire's statements answered, of how many (001 §5).
            func answered(_ who: String) -> String {
                let statements = catalogue.questions.filter {
                    $0.type == .agreement && $0.key.hasPrefix("sa.\(who).")
                        && catalogue.holds(kind: s.kind, key: $0.key)
                }
                let n = statements.filter { !(s.answers[$0.key] ?? "").isEmpty }.count
                return "\(n)/\(statements.count)"
            }
            return [
                s.caseID, s.name, s.stageID, kindName(s.kind), s.owner, String(s.completedAt.prefix(10)),
                done("sa.young-person"), done("sa.carer"), answered("young-person"), answered("carer"),
            ]
        }
        return Report(
            columns: [
                "case", "name", "stage", "kind", "owner", "completed", "young-person", "carer", "young-person-answered",
                "carer-answered",
            ], rows: rows)
    }
}
