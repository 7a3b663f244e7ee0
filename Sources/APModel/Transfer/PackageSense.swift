/// Whether a package makes sense for the case here before anything is written (issue 23):
/// a checksum only says the package was not damaged on the way, not that its sender may do
/// what it says. Pure: the package, this YOT and the local copy, if any.
public enum PackageSense {
    public static func check(_ package: TransferPackage, local: CaseFile?, here: YOT) throws {
        let id = package.caseFile.id
        let refuse = { (why: String) in
            APError.refused("package \(package.id) for case '\(id)': \(why); nothing imported")
        }
        if let local { try sameYoungPerson(package, local: local) }
        // An event new to this copy credited to this YOT (or to no YOT, as before YOTs were
        // recorded) was typed in elsewhere: this YOT's own events are all here already.
        let known = Set(local?.events.map(\.id) ?? [])
        let forged = package.caseFile.events.first { e in
            !known.contains(e.id) && (e.yot == nil || e.yot == here.code)
        }
        if let forged {
            throw refuse(
                "event \(forged.id) (\(forged.type) by '\(forged.by)') is credited to "
                    + (forged.yot.map { "this YOT (\($0))" } ?? "no YOT") + ", but this copy never held it")
        }
        let sent = package.caseFile.state.transfer(package.transfer)
        switch package.type {
        case .request:
            guard let sent, sent.status == .pending, sent.from.code == package.from.code, sent.to.code == here.code
            else {
                throw refuse("it holds no pending transfer '\(package.transfer)' from \(package.from.code) to here")
            }
            guard sent.kind == .update else { return }
            // An update comes only from the other party of a live caretaking arrangement.
            guard let local, let home = local.state.home, let host = local.state.host else {
                throw refuse("an update needs a case in caretaking here, and this copy is not")
            }
            let other = here.code == home.code ? host.code : here.code == host.code ? home.code : nil
            guard other == package.from.code else {
                throw refuse("an update comes only from the other YOT of the caretaking (\(other ?? "none")), "
                    + "not \(package.from.code)")
            }
        case .reply:
            guard let local, let mine = local.state.transfer(package.transfer), mine.from.code == here.code,
                mine.to.code == package.from.code
            else {
                throw refuse(
                    "it answers transfer '\(package.transfer)', which this YOT did not send to \(package.from.code)")
            }
            guard let sent, sent.status != .pending else { throw refuse("it holds no decision on the transfer") }
        case .caretakingEnd:
            guard let local, let home = local.state.home, let host = local.state.host, host.code == here.code else {
                throw refuse("this YOT is not caretaking the case, so there is no caretaking to end")
            }
            guard home.code == package.from.code else {
                throw refuse("only the home YOT \(home.code) ends caretaking, not \(package.from.code)")
            }
            guard package.caseFile.state.host == nil else { throw refuse("its case is still in caretaking") }
        }
    }

    /// The copy here and the package's must be the same young person: name and date of birth.
    static func sameYoungPerson(_ package: TransferPackage, local: CaseFile) throws {
        let theirs = package.caseFile.state, ours = local.state
        guard theirs.isSamePerson(as: ours) else {
            throw APError.refused(
                "package \(package.id) holds case '\(local.id)' for \(theirs.name) (born \(theirs.dob)), but the case "
                    + "here is \(ours.name) (born \(ours.dob)); nothing imported")
        }
    }

    /// Whether merging the package would change which YOT holds the case or caretakes it:
    /// such a package waits for a manager's `ap transfer accept`.
    public static func changesHolder(_ merged: CaseFile, local: CaseFile) -> Bool {
        merged.state.home?.code != local.state.home?.code || merged.state.host?.code != local.state.host?.code
    }
}
