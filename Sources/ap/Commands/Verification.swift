import APModel

/// `ap verify`'s report for people and for scripts.
enum Verification {
    struct Report {
        var text: String
        var json: JSONValue
        var problems: [String]
    }

    static func run(_ repo: Repository, cases: [String], again: Bool) throws -> Report {
        let v = try RepositoryVerification.run(repo, cases: cases, again: again)
        var lines = v.configProblems.map { ".ap/config.json: \($0)" } + v.caseProblems
        for f in v.problems {
            lines.append(
                "\(f.caseID): event \(f.event) (\(f.type) by \(f.by) at \(f.at)): \(f.status.rawValue): \(f.detail)")
        }
        let count = v.problems.count + v.configProblems.count + v.caseProblems.count
        let summary =
            "\(v.findings.count) events in \(v.cases) case\(v.cases == 1 ? "" : "s"): "
            + "\(v.count(.verified)) verified, \(v.count(.acknowledged)) acknowledged, "
            + "\(v.count(.beforePolicy)) unsigned before the policy; \(count) problem" + (count == 1 ? "" : "s")
        if !v.signaturesRequired {
            lines.append(
                "warning: signatures are off: anyone who can write the folder can act as any user "
                    + "('ap config set signatures required', see ap-identity(7))")
        }
        lines.append(summary)
        var json: [String: JSONValue] = [
            "signatures": .string(v.signaturesRequired ? "required" : "off"), "cases": .int(v.cases),
            "events": .int(v.findings.count), "verified": .int(v.count(.verified)),
            "acknowledged": .int(v.count(.acknowledged)), "unsignedBeforePolicy": .int(v.count(.beforePolicy)),
            "problems": .array(
                v.configProblems.map { ["config": .string($0)] } + v.caseProblems.map { ["file": .string($0)] }
                    + v.problems.map(\.json)),
        ]
        if let anchor = v.anchor { json["anchor"] = .string(anchor) }
        return Report(
            text: lines.joined(separator: "\n") + "\n", json: .object(json),
            problems: v.configProblems + v.caseProblems + v.problems.map(\.event))
    }

    /// The events of one case that do not verify, where the repository has an identity record.
    static func problems(in file: CaseFile, repo: Repository) throws -> [EventFinding] {
        guard let identity = try repo.identity()?.state else { return [] }
        let trust = repo.currentTrust
        let findings = try EventCheck.check(
            id: file.id, events: file.events, identity: identity, verifier: trust.verifier)
        trust.verifier.save()
        return findings.filter(\.status.isProblem)
    }
}
