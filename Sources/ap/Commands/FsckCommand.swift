import APModel

enum FsckCommand {
    static let command = Command(
        path: ["fsck"], summary: "check the whole repository; --repair rebuilds what is derived",
        usage: "[--repair]",
        details: """
            Checks the config, every case file (format, id and file name, events, the stored state
            against the events), file and folder modes (0640, 0750), stray temporary files, the
            index, and that git runs ap's merge driver. Warnings (temporary files, modes a git
            clone lost, answers under keys the catalogue does not know, a missing driver) leave
            the exit status 0; damage (an unreadable or inconsistent file, a link) not repaired
            makes it 65. --repair derives states again, sets modes, removes temporary files and
            rebuilds the index; it never changes events.
            """,
        options: [Opt(long: "repair", help: "rebuild what is derived; never touches events")],
        examples: ["ap fsck", "ap fsck --repair --json"],
        run: { inv in
            let session = try? inv.context.session()
            let repo = try session?.repo ?? inv.context.repository()
            let repair = inv.flag("repair")
            let findings: [Fsck.Finding]
            if repair {
                guard let session else { throw APError.usage("--repair needs a readable config and the acting user") }
                findings = try session.locked {
                    _ = try session.requireRole([.admin], doing: "repair the repository")
                    return try Fsck.check(repo, repair: true, now: session.env.now())
                }
            } else {
                findings = try Fsck.check(repo, repair: false, now: try inv.context.clock().now())
            }
            let cases = (try? repo.caseFiles().count) ?? 0  // a linked cases/ is among the findings
            let warnings = findings.filter(\.warning)
            let problems = findings.filter { !$0.warning }
            let unrepaired = problems.filter { $0.repaired == nil || $0.repaired!.hasPrefix("not repaired") }
            let repaired = findings.filter { $0.repaired.map { !$0.hasPrefix("not repaired") } ?? false }.count
            var text = findings.map { f in
                "\(f.path): \(f.warning ? "warning: " : "")\(f.problem)" + (f.repaired.map { " — \($0)" } ?? "")
            }.joined(separator: "\n")
            text += (text.isEmpty ? "" : "\n")
                + "\(cases) case files checked; \(problems.count) problem\(problems.count == 1 ? "" : "s")"
                + (repair ? ", \(repaired) repaired" : "")
                + (warnings.isEmpty ? "" : "; \(warnings.count) warning\(warnings.count == 1 ? "" : "s")") + "\n"
            var output = Output(text: text, json: [
                "cases": .int(cases),
                "problems": .array(findings.map { f in
                    var o: [String: JSONValue] = ["path": .string(f.path), "problem": .string(f.problem)]
                    if let r = f.repaired { o["repaired"] = .string(r) }
                    if f.warning { o["warning"] = .bool(true) }
                    o["class"] = .string(f.warning ? "warning" : "damage")
                    return .object(o)
                }),
            ])
            // Warnings alone leave 0; damage not repaired is bad data.
            output.status = unrepaired.isEmpty ? 0 : APError.data("").exitStatus
            return output
        })
}
