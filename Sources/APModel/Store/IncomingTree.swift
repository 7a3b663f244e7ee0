/// What a remote's commits change, checked before git merges them (issue 23): a hostile
/// remote could otherwise deliver files ap keeps for itself (a journal, a temporary file, a
/// transfer record), a link, or attributes that merge cases as text.
public struct IncomingTree {
    public var casesChanged: [String] = []
    /// Cases the remote deleted: kept here and reported.
    public var casesDeleted: [String] = []
    public var configChanged = false

    /// Reads `git diff --raw -z` from `base` to `theirs` and refuses what may never arrive.
    public static func check(_ git: Git, base: String, theirs: String, remote: String) throws -> IncomingTree {
        let raw = try git.run(["diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, theirs])
        var out = IncomingTree()
        // Records: ":OLDMODE NEWMODE OLDSHA NEWSHA STATUS" NUL PATH NUL.
        let fields = raw.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i + 1 < fields.count {
            let head = fields[i].split(separator: " ")
            let path = fields[i + 1]
            i += 2
            guard head.count >= 5 else { continue }
            let status = head[4], mode = head[1]
            let refuse = { (why: String) in
                APError.data("\(remote) delivers '\(path)': \(why); nothing was merged")
            }
            if status != "D", mode == "120000" || mode == "160000" {
                throw refuse("a symbolic link or submodule, which ap never follows")
            }
            if path == ".ap/config.json" { out.configChanged = true; continue }
            if path == IdentityRecord.relativePath || path == ".gitignore" { continue }
            if path.hasPrefix(".ap/") || path == ".ap" {
                throw refuse("ap keeps that file for itself; it never comes from git")
            }
            if path == ".gitattributes" || path.hasSuffix("/.gitattributes") {
                guard status != "D", path == ".gitattributes" else {
                    throw refuse("case files must keep merging through ap's driver")
                }
                try checkAttributes(try git.run(["show", "\(theirs):.gitattributes"]), refuse: refuse)
                continue
            }
            if path.hasPrefix(TravellingTransfer.folder + "/") {
                // Read only when it verifies (`Repository.travellingTransfers`); named as ap names it.
                let name = path.dropFirst(TravellingTransfer.folder.count + 1)
                guard name.hasSuffix(".json"), !name.contains("/"), !name.hasPrefix(".") else {
                    throw refuse("not a transfer record where ap keeps one (transfers/PACKAGE.json)")
                }
                continue
            }
            guard path.hasPrefix("cases/") else { continue }  // a README, say
            guard let id = caseID(path) else {
                throw refuse("not a case file where ap keeps one (cases/SHARD/ID.json)")
            }
            if status == "D" { out.casesDeleted.append(id) } else { out.casesChanged.append(id) }
        }
        return out
    }

    /// The case a path holds where ap keeps one (cases/SHARD/ID.json), else nil.
    public static func caseID(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == "cases", CaseIndex.isCaseFileName(parts[2]) else { return nil }
        let id = CaseIndex.caseID(parts[2])
        guard (try? CaseID.validate(id)) != nil, CaseID.shard(id) == parts[1] else { return nil }
        return id
    }

    /// Every line that says anything must be ap's own: any other attribute could turn the
    /// driver off for case files (merge=union, -merge, a macro).
    static func checkAttributes(_ text: String, refuse: (String) -> APError) throws {
        var routed = false
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !line.isEmpty && !line.hasPrefix("#") {
            guard Git.attributes.contains(line) else {
                throw refuse("its line '\(line)' is not ap's; case files must keep merging through ap's driver")
            }
            routed = true
        }
        guard routed else { throw refuse("it no longer routes case files to ap's merge driver") }
    }
}
