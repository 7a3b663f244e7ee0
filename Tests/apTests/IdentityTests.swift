import APModel
import Foundation
import XCTest

/// Who acted is proven, not typed (issue 22): real ssh-keygen keys, real signatures, and
/// each attack written out — another user named, events and users typed in by hand.
final class IdentityTests: XCTestCase {
    /// A signed repository with one case whose PSR pat submitted.
    func submittedCase() throws -> Harness {
        let h = try Harness(signed: true)
        try h.caseWithStage()
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=medium", "saw=low", "lor=low", "scaled-approach=enhanced"], as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        return h
    }

    func verify(_ h: Harness, _ args: [String] = []) throws -> Harness.Result {
        try h.run(["verify"] + args + ["--json"])
    }

    /// Rewrites a case file as JSON, by hand, as someone with write access to the folder would.
    func edit(_ h: Harness, _ id: String = "YP-0001", _ change: (inout [JSONValue]) -> Void) throws {
        let path = h.caseFile(id)
        guard case .object(var doc) = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path)))),
            case .array(var events)? = doc["events"]
        else { return XCTFail("unreadable case") }
        change(&events)
        doc["events"] = .array(events)
        try Data(JSONWriter.pretty(.object(doc))).write(to: URL(fileURLWithPath: path))
    }

    func testEverySignedWriteVerifies() throws {
        let h = try submittedCase()
        try h.expectOK(["countersign", "YP-0001", "--comment", "agreed"], as: "mo")
        XCTAssertTrue(try h.expectOK(["case", "show", "YP-0001"]).stdout.contains("verified (all 6 events)"))
        let file = try h.loadCase("YP-0001")
        XCTAssertTrue(file.events.allSatisfy { $0.seal != nil && $0.parents != nil }, "every event signed")
        // Each write names the events before it that no signed event had named.
        XCTAssertEqual(file.events[1].parents, [file.events[0].digest])
        let r = try verify(h)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.json?["verified"]?.intValue, file.events.count)
        XCTAssertEqual(r.json?["signatures"], "required")
        XCTAssertEqual(try h.run(["verify", "--all"]).status, 0)
        // The memory of good signatures is in the account's cache, not the repository.
        XCTAssertTrue(FileManager.default.fileExists(atPath: h.dir + "-cache/ap"))
        XCTAssertFalse(try h.snapshot().keys.contains { $0.contains("verified") || $0.contains(".sig.tmp") })
        try h.expectOK(["fsck"], as: "alex")
    }

    func testNobodyActsAsAnotherUser() throws {
        let h = try submittedCase()
        let pat = try h.keys!.privateFile("pat")
        // pat names mo, with her own key: refused, nothing written.
        try h.expectFailure(
            ["countersign", "YP-0001"], as: "mo", status: 77, message: "not a key of 'mo'",
            env: ["AP_SIGNING_KEY": pat])
        // No key at all, or one nobody registered.
        try h.expectFailure(
            ["countersign", "YP-0001"], as: "mo", status: 77, message: "no usable key",
            env: ["AP_SIGNING_KEY": ""])
        try h.expectFailure(
            ["countersign", "YP-0001"], as: "mo", status: 77, message: "not a key of 'mo'",
            env: ["AP_SIGNING_KEY": try h.keys!.privateFile("stranger")])
        try h.expectFailure(
            ["case", "new", "YP-0002", "--name", "A B", "--dob", "2010-01-01"], as: "bo", status: 77,
            message: "does not exist",
            env: ["AP_SIGNING_KEY": "/nonexistent/key"])
        XCTAssertEqual(try h.loadCase("YP-0001").state.stages.last?.status, .awaitingCountersignature)
    }

    func testEventsEditedByHandAreDetected() throws {
        let h = try submittedCase()
        let good = try Data(contentsOf: URL(fileURLWithPath: h.caseFile("YP-0001")))
        func restore() throws { try good.write(to: URL(fileURLWithPath: h.caseFile("YP-0001"))) }
        func expect(_ status: String, _ what: String) throws {
            let r = try verify(h, ["YP-0001"])
            XCTAssertEqual(r.status, 65, what)
            let found = r.json?["problems"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? []
            XCTAssertTrue(found.contains(status), "\(what): \(found) \(r.stdout)")
            try restore()
            XCTAssertEqual(try verify(h).status, 0, "restored after \(what)")
        }
        // Altered: an answer changed.
        try edit(h) { events in events[2]["payload"]?["answers"]?["rosh"] = "low" }
        try expect("bad-signature", "altered")
        // Inserted: a countersignature typed in, unsigned, credited to mo.
        try edit(h) { events in
            var forged = events[events.count - 1]
            forged["id"] = "forged0000000000001"
            forged["type"] = .string(EventType.stageCountersigned)
            forged["by"] = "mo"
            forged["seal"] = nil
            forged["parents"] = nil
            events.append(forged)
        }
        try expect("unsigned", "inserted")
        // Inserted with a seal copied from another event.
        try edit(h) { events in
            var forged = events[events.count - 1]
            forged["id"] = "forged0000000000002"
            forged["by"] = "mo"
            events.append(forged)
        }
        try expect("unknown-key", "copied seal")
        // Removed: an event from the middle.
        try edit(h) { events in events.remove(at: 1) }
        try expect("missing-parent", "removed")
        // Reordered: the third event's time moved between the first two.
        try edit(h) { events in events[2]["at"] = Forger.later(events[0]["at"], by: 1) }
        try expect("bad-signature", "reordered")
    }

    func testUsersRolesAndKeysTypedIntoTheConfigAreNeverTrusted() throws {
        let h = try submittedCase()
        let configPath = h.dir + "/.ap/config.json"
        guard
            case .object(var config) = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: configPath)))),
            case .object(var users)? = config["users"]
        else { return XCTFail("config") }
        let rogue = try String(contentsOfFile: try h.keys!.publicFile("eve"), encoding: .utf8)
        let rogueLine = rogue.split(separator: " ").prefix(2).joined(separator: " ")
        users["eve"] = ["name": "Eve", "roles": ["admin", "manager"], "keys": [.string(rogueLine)]]
        users["mo"]?["keys"] = [.string(rogueLine)]
        users["pat"]?["roles"] = ["practitioner", "manager"]
        config["users"] = .object(users)
        try Data(JSONWriter.pretty(.object(config))).write(to: URL(fileURLWithPath: configPath))
        let eve = try h.keys!.privateFile("eve")
        try h.expectFailure(
            ["countersign", "YP-0001"], as: "eve", status: 77, message: "unknown user 'eve'",
            env: ["AP_SIGNING_KEY": eve])
        try h.expectFailure(
            ["countersign", "YP-0001"], as: "mo", status: 77, message: "not a key of 'mo'",
            env: ["AP_SIGNING_KEY": eve])
        try h.expectFailure(["countersign", "YP-0001"], as: "pat", status: 77, message: "manager")
        let r = try verify(h)
        XCTAssertEqual(r.status, 65)
        for needle in ["users.eve", "users.pat.roles", "users.mo.keys"] {
            XCTAssertTrue(r.stdout.contains(needle), "\(needle) in \(r.stdout)")
        }
    }

    func testAnEditedIdentityRecordStopsEveryone() throws {
        let h = try Harness(signed: true)
        let path = h.dir + "/.ap/identity.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // pat made a manager by hand, in the signed record itself.
        let edited = text.replacingOccurrences(
            of: "\"id\": \"pat\",\n        \"keys\"", with: "\"id\": \"pat\",\n        \"keys\""
        )
        .replacingOccurrences(
            of: "\"Pat Jones\",\n          \"roles\": [\n            \"practitioner\"",
            with: "\"Pat Jones\",\n          \"roles\": [\n            \"manager\"")
        XCTAssertNotEqual(edited, text, "the edit took")
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        try h.expectFailure(["case", "list"], as: "pat", status: 65, message: ".ap/identity.json")
        try h.expectFailure(["whoami"], as: "alex", status: 65, message: "signature does not verify")
        // An entry removed breaks the chain.
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .object(var doc) = try JSONParser.parse(Array(text.utf8)), case .array(var entries)? = doc["entries"]
        else {
            return XCTFail("identity")
        }
        entries.remove(at: 1)
        doc["entries"] = .array(entries)
        try Data(JSONWriter.pretty(.object(doc))).write(to: URL(fileURLWithPath: path))
        try h.expectFailure(["case", "list"], as: "pat", status: 65, message: "does not follow")
    }

    func testRevokedKeysAndDeactivatedUsers() throws {
        let h = try submittedCase()
        let fingerprint = try h.keys!.fingerprint("pat")
        h.now = "2026-11-03T09:00:00.000Z"  // the key is revoked a day after it signed
        try h.expectFailure(
            ["user", "key", "revoke", "pat", fingerprint, "--reason", "lost"], as: "mo", status: 77,
            message: "admin")
        try h.expectOK(["user", "key", "revoke", "pat", fingerprint, "--reason", "laptop stolen"], as: "alex")
        let keys = try h.expectOK(["user", "key", "list", "pat", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(keys.first?["status"], "revoked")
        XCTAssertEqual(keys.first?["reason"], "laptop stolen")
        // Piped, nothing is cut: the type, date and reason stand whole.
        let listed = try h.expectOK(["user", "key", "list", "pat"]).stdout
        XCTAssertTrue(listed.contains("ssh-ed25519") && listed.contains("laptop stolen"), listed)
        // What the key signed before stays valid; it signs nothing more.
        let after = try h.run(["verify"])
        XCTAssertEqual(after.status, 0, after.stdout)
        try h.expectFailure(
            ["case", "update", "YP-0001", "name=A B"], as: "pat", status: 77, message: "not a key of 'pat'")
        // A new key, and pat works again.
        try h.expectOK(["user", "key", "add", "pat", try h.keys!.publicFile("pat2")], as: "alex")
        try h.expectFailure(
            ["user", "key", "add", "kim", try h.keys!.publicFile("pat2")], as: "alex", status: 73,
            message: "already registered to 'pat'")
        try h.expectOK(
            ["case", "update", "YP-0001", "name=Jordan Smyth"], as: "pat",
            env: ["AP_SIGNING_KEY": try h.keys!.privateFile("pat2")])
        // A leaver keeps their history and can no longer act.
        try h.expectOK(["user", "deactivate", "kim", "--reason", "left the service"], as: "alex")
        try h.expectFailure(
            ["case", "new", "YP-0003", "--name", "A B", "--dob", "2010-01-01"], as: "kim", status: 77,
            message: "deactivated")
        try h.expectFailure(
            ["user", "deactivate", "alex", "--reason", "x"], as: "alex", status: 1, message: "themselves")
        XCTAssertEqual(try verify(h).status, 0)
    }

    func testSigningThroughSSHAgentAndWithAnRSAKey() throws {
        let h = try Harness(users: false, signed: true)
        try h.expectOK(
            [
                "user", "add", "ria", "--name", "Ria Shah", "--role", "business-support",
                "--key-file", try h.keys!.publicFile("ria", type: "rsa"),
            ], as: "alex")
        try h.expectOK(["case", "new", "YP-0001", "--name", "A B", "--dob", "2010-01-01"], as: "ria")
        // A real ssh-agent holding alex's key, and no AP_SIGNING_KEY. Its output goes to a file:
        // the agent lives on and would hold a pipe open.
        let sock = h.dir + "-keys/agent.sock"
        let out = h.dir + "-keys/agent.out"
        let started0 = try Subprocess.run("bash", ["-c", "ssh-agent -s -a '\(sock)' > '\(out)' 2>&1"])
        XCTAssertEqual(started0.status, 0, started0.errorText)
        let started = try String(contentsOfFile: out, encoding: .utf8)
        let pid = String(started.components(separatedBy: "SSH_AGENT_PID=")[1].prefix { $0 != ";" })
        defer { _ = try? Harness.tool("kill", [pid]) }
        XCTAssertEqual(
            try Harness.tool("ssh-add", ["-q", try h.keys!.privateFile("alex")], env: ["SSH_AUTH_SOCK": sock]).status, 0
        )
        let agentEnv = ["SSH_AUTH_SOCK": sock, "AP_SIGNING_KEY": ""]
        let who = try h.expectOK(["whoami", "--json"], as: "alex", env: agentEnv).json
        XCTAssertEqual(who?["keySource"], "ssh-agent")
        try h.expectOK(["case", "update", "YP-0001", "name=C D"], as: "alex", env: agentEnv)
        // The agent holds no key of ria's.
        try h.expectFailure(
            ["case", "update", "YP-0001", "name=E F"], as: "ria", status: 77, message: "ssh-agent",
            env: agentEnv)
        let r = try verify(h)
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertEqual(r.json?["verified"]?.intValue, 2)
    }

    func testTurningSignaturesOnInAnExistingRepository() throws {
        let h = try Harness()
        try h.caseWithStage()
        let keys = try KeyRing(h.dir + "-keys")
        h.keys = keys
        // Off: anyone who can write the folder can act as any user, and the tools say so.
        let off = try h.expectOK(["verify"])
        XCTAssertTrue(off.stdout.contains("signatures are off"), off.stdout)
        try h.expectFailure(
            ["config", "set", "signatures", "required"], as: "alex", status: 1, message: "no key registered")
        try h.expectOK(["user", "key", "add", "alex", try keys.publicFile("alex")], as: "alex")
        try h.expectOK(["user", "key", "add", "pat", try keys.publicFile("pat")], as: "alex")
        h.now = "2026-11-03T09:00:00.000Z"
        let on = try h.expectOK(["config", "set", "signatures", "required"], as: "alex")
        XCTAssertTrue(on.stdout.contains("anchored on alex"), on.stdout)
        // mo has no key yet: refused; pat's keys came over from the config.
        try h.expectFailure(["stage", "set", "YP-0001", "rosh=low"], as: "mo", status: 77, message: "no usable key")
        h.now = "2026-11-04T09:00:00.000Z"
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        let r = try verify(h)
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertEqual(r.json?["acknowledged"]?.intValue, 3, "the earlier events, named by pat's signed write")
        XCTAssertEqual(r.json?["verified"]?.intValue, 1)
        // An event typed in later, dated before the policy, is caught: no signed write saw it.
        try edit(h) { events in
            var forged = events[0]
            forged["id"] = "backdated00000000001"
            forged["type"] = .string(EventType.caseUpdated)
            forged["payload"] = ["fields": ["name": "X Y"]]
            events.append(forged)
        }
        let caught = try verify(h)
        XCTAssertEqual(caught.status, 65)
        XCTAssertTrue(caught.stdout.contains("not seen by the signed write"), caught.stdout)
        // Signatures off again: signed as a policy change, not by editing the config.
        try h.expectFailure(["config", "set", "signatures", "off"], as: "pat", status: 77, message: "admin")
    }

    func testLoginsBindUsersToAccounts() throws {
        let h = try Harness(signed: true)
        let login = try XCTUnwrap(try h.expectOK(["whoami", "--json"], as: "alex").json?["login"]?.stringValue)
        try h.expectFailure(
            ["config", "set", "logins", "required"], as: "alex", status: 1, message: "bound to no user")
        try h.expectOK(["user", "update", "bo", "--login", login], as: "alex")
        try h.expectFailure(
            ["user", "update", "pat", "--login", login], as: "alex", status: 73, message: "already bound")
        try h.expectOK(["config", "set", "logins", "required"], as: "alex")
        // This account is bo's: naming anyone else is refused, naming nobody acts as bo.
        try h.expectFailure(
            ["case", "new", "YP-0009", "--name", "A B", "--dob", "2010-01-01"], as: "pat", status: 77,
            message: "acts as 'bo'")
        let who = try h.expectOK(["whoami", "--json"], env: ["AP_SIGNING_KEY": try h.keys!.privateFile("bo")]).json
        XCTAssertEqual(who?["user"], "bo")
        XCTAssertEqual(who?["logins"], "required")
        try h.expectOK(["case", "new", "YP-0009", "--name", "A B", "--dob", "2010-01-01"], as: "bo")
    }

    /// A copy of the case with a countersignature typed in for mo, its state derived again so
    /// that it reads as a case: the forgery a careful attacker would make.
    func forgedCountersignature(_ h: Harness, to path: String) throws {
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        try Forger.edit(file: h.caseFile("YP-0001"), to: path) { events in
            events.append(Forger.countersignature(events, id: "forged0000000000003", stage: stage))
        }
    }

    func testAForgedCountersignatureIsMarkedWhereItShows() throws {
        let h = try submittedCase()
        try forgedCountersignature(h, to: h.caseFile("YP-0001"))
        let show = try h.expectOK(["case", "show", "YP-0001"], as: "mo")
        XCTAssertTrue(show.stdout.contains("NOT VERIFIED: stage.countersigned by mo"), show.stdout)
        XCTAssertTrue(show.stdout.contains("1 of 6 events do not verify"), show.stdout)
        let json = try h.expectOK(["case", "show", "YP-0001", "--json"], as: "mo").json
        XCTAssertEqual(json?["signatures"]?["problems"]?.arrayValue?.first?["status"], "unsigned")
        let stage = try h.expectOK(["stage", "show", "YP-0001"], as: "mo")
        XCTAssertTrue(stage.stdout.hasPrefix("NOT VERIFIED: stage.countersigned by mo"), stage.stdout)
        // No document for a court says "countersigned by Mo Khan" on a forged event.
        try h.expectFailure(["case", "export", "YP-0001", "--html", "--for", "internal"], as: "mo", status: 65,
                            message: "holds events that do not verify (forged0000000000003)")
        let fsck = try h.run(["fsck"], as: "alex")
        XCTAssertEqual(fsck.status, 65)
        XCTAssertTrue(fsck.stdout.contains("forged0000000000003"), fsck.stdout)
    }

    func testMergeRefusesForgedEventsFromAnotherCopy() throws {
        let h = try submittedCase()
        let copy = h.dir + "-copy.json"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try forgedCountersignature(h, to: copy)
        try h.expectFailure(["merge", "YP-0001", "--with", copy], as: "mo", status: 65, message: "forged0000000000003")
        // As git's driver: ours is left as it was.
        let ours = h.dir + "-ours.json"
        defer { try? FileManager.default.removeItem(atPath: ours) }
        try FileManager.default.copyItem(atPath: h.caseFile("YP-0001"), toPath: ours)
        let before = try Data(contentsOf: URL(fileURLWithPath: ours))
        let r = try h.run(["merge", "--git", ours, ours, copy, CaseID.relativePath("YP-0001")])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("unsigned"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ours)), before)
    }

    func testABatchIsOneSignatureOverEveryCase() throws {
        let h = try Harness(signed: true)
        let lines = (1...5).map { #"["case", "new", "YP-010\#($0)", "--name", "A B", "--dob", "2010-01-01"]"# }
            .joined(separator: "\n")
        let r = try h.run(["batch", "-"], as: "bo", stdin: lines + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        let seals = try (1...5).map { try h.loadCase("YP-010\($0)").events[0].seal }
        XCTAssertEqual(Set(seals.map { $0?.sig }).count, 1, "one signature")
        XCTAssertTrue(seals.allSatisfy { !($0?.path.isEmpty ?? true) })
        XCTAssertEqual(try verify(h).json?["verified"]?.intValue, 5)
        // Without a key the whole batch is refused and nothing is written.
        let before = try h.snapshot()
        let more = lines.replacingOccurrences(of: "YP-010", with: "YP-020")
        let refused = try h.run(["batch", "-"], as: "bo", env: ["AP_SIGNING_KEY": ""], stdin: more + "\n")
        XCTAssertEqual(refused.status, 77, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("no usable key"), refused.stderr)
        XCTAssertEqual(try h.snapshot(), before)
    }

    func testInitWithoutAKeyWarnsAndAddingAUserTwiceIsRefused() throws {
        let h = try Harness(users: false)
        let elsewhere = NSTemporaryDirectory() + "ap-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let r = try h.run(["init", elsewhere + "/other", "--yot", "X", "--yot-name", "X", "--admin", "a"])
        XCTAssertTrue(r.stdout.contains("anyone who can write this folder can act as any user"), r.stdout)
        try h.expectOK(["user", "add", "mo", "--name", "Mo", "--role", "manager"], as: "alex")
        try h.expectFailure(
            ["user", "add", "mo", "--name", "Mo", "--role", "admin"], as: "alex", status: 73,
            message: "already exists")
        // An admin key whose private half is nowhere: nothing is made.
        let keys = try KeyRing(h.dir + "-keys")
        let pub = try keys.publicFile("lost")
        try FileManager.default.removeItem(atPath: try keys.privateFile("lost"))
        let lost = try h.run([
            "init", elsewhere + "/third", "--yot", "X", "--yot-name", "X", "--admin", "a", "--admin-key", pub,
        ])
        XCTAssertEqual(lost.status, 77, lost.stderr)
        XCTAssertTrue(lost.stderr.contains("no usable key"), lost.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere + "/third/.ap"))
    }
}

/// Two signed YOTs exchanging a case: what comes from the other YOT is taken in by a signed
/// import or acceptance here; an event credited to one of our own users must verify.
final class SignedTwoYOTsTests: TwoYOTs {
    override func setUpWithError() throws {
        try super.setUpWithError()
        barnet = try Harness(signed: true)
        notts = try Harness(yot: "NOTTS", yotName: "Nottinghamshire YJS", signed: true)
        outbox = barnet.dir + "-outbox"
        let box = outbox!
        addTeardownBlock { try? FileManager.default.removeItem(atPath: box) }
    }

    /// Each YOT pins the other's keys, as admins would after checking them by telephone.
    func pinBothWays() throws {
        for (here, there, code) in [(notts!, barnet!, "BARNET"), (barnet!, notts!, "NOTTS")] {
            for user in ["alex"] + Harness.staff.map(\.0) {
                try here.expectOK(["org", "key", "add", code, try there.keys!.publicFile(user)], as: "alex")
            }
        }
    }

    func testAPackageFromAnUnpinnedSenderNeedsAnAdminsTrust() throws {
        try readyToSend()
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking",
            ])
        let refused = try notts.expectFailure(
            ["transfer", "import", sent.json], as: "bo", status: 65,
            message: "signed with keys not pinned here")
        XCTAssertTrue(refused.stderr.contains(try barnet.keys!.fingerprint("mo")), refused.stderr)
        try notts.expectFailure(
            ["transfer", "import", sent.json, "--trust"], as: "bo", status: 65,
            message: "needs the role admin")
        try notts.expectOK(["transfer", "import", sent.json, "--trust"], as: "alex")
        let pinned = try notts.expectOK(["org", "key", "list", "BARNET", "--json"]).json?.arrayValue ?? []
        XCTAssertTrue(pinned.contains { $0["fingerprint"]?.stringValue == (try? barnet.keys!.fingerprint("mo")) })
    }

    func testAReaddressedOrUnsignedPackageIsRefused() throws {
        try pinBothWays()
        try readyToSend()
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking",
            ])
        guard
            case .object(let original) = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: sent.json))))
        else { return XCTFail() }
        func rewrite(_ change: (inout [String: JSONValue]) -> Void) throws -> String {
            var p = original
            change(&p)
            p["sha256"] = nil
            p["sha256"] = .string(SHA256.hex(Array(JSONWriter.compact(.object(p)).utf8)))
            let path = sent.json + ".forged.json"
            try Data(JSONWriter.pretty(.object(p))).write(to: URL(fileURLWithPath: path))
            return path
        }
        // Re-addressed: sent to another YOT, re-hashed.
        let readdressed = try rewrite { $0["to"]?["name"] = "Somewhere Else" }
        try notts.expectFailure(["transfer", "import", readdressed], as: "bo", status: 65, message: "does not verify")
        // The signature stripped.
        let stripped = try rewrite { $0["signature"] = nil }
        try notts.expectFailure(["transfer", "import", stripped], as: "bo", status: 65, message: "is not signed")
        try notts.takeIn(sent.json)
        let listed = try notts.expectOK(["transfer", "list", "--incoming", "--json"]).json?.arrayValue ?? []
        XCTAssertEqual(listed.first?["signature"], "verified")
        // The stored request changed by hand, its checksum recomputed: listed as such, and not accepted.
        let stored = notts.dir + "/.ap/transfers/\(sent.transfer!).json"
        guard
            case .object(var record) = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: stored)))),
            case .object(var package)? = record["package"]
        else { return XCTFail("stored request") }
        package["kind"] = "complete"
        package["sha256"] = nil
        package["sha256"] = .string(SHA256.hex(Array(JSONWriter.compact(.object(package)).utf8)))
        record["package"] = .object(package)
        try Data(JSONWriter.pretty(.object(record))).write(to: URL(fileURLWithPath: stored))
        let relisted = try notts.expectOK(["transfer", "list", "--incoming", "--json"]).json?.arrayValue ?? []
        XCTAssertTrue(relisted.first?["signature"]?.stringValue?.hasPrefix("not verified") == true, "\(relisted)")
        try notts.expectFailure(
            ["transfer", "accept", sent.transfer!], as: "mo", status: 65, message: "does not verify")
    }

    func testACaseCrossesAndBothSitesVerify() throws {
        try pinBothWays()
        try inCaretaking()
        for site in [barnet!, notts!] {
            let r = try site.run(["verify"])
            XCTAssertEqual(r.status, 0, r.stdout)
            XCTAssertTrue(r.stdout.contains("acknowledged"), r.stdout)
        }
    }

    func testAPackageCarryingAForgedLocalCountersignatureIsRefused() throws {
        try pinBothWays()
        try readyToSend()
        let sent = try packaged(
            barnet,
            [
                "transfer", "send", "YP-0001", "--to", "NOTTS", "--to-name",
                "Nottinghamshire YJS", "--kind", "caretaking",
            ])
        try notts.takeIn(sent.json)
        let reply = try packaged(notts, ["transfer", "accept", sent.transfer!])
        // The reply, re-written by an attacker: a countersignature credited to Barnet's mo,
        // the case's state derived again and the checksum recomputed.
        guard
            case .object(var package) = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: reply.json)))),
            case .object(var doc)? = package["case"]
        else { return XCTFail() }
        try Forger.edit(&doc) { events in
            events.append(
                Forger.event(
                    after: events, id: "forged0000000000009", type: EventType.caseUpdated, by: "mo",
                    payload: ["fields": ["name": "Renamed By Forger"]], yot: "BARNET"))
        }
        package["case"] = .object(doc)
        package["sha256"] = nil
        package["sha256"] = .string(SHA256.hex(Array(JSONWriter.compact(.object(package)).utf8)))
        try Data(JSONWriter.pretty(.object(package))).write(to: URL(fileURLWithPath: reply.json))
        // The sender's signature no longer holds.
        let r = try barnet.run(["transfer", "import", reply.json], as: "bo")
        XCTAssertEqual(r.status, 65, r.stdout + r.stderr)
        XCTAssertTrue((r.stdout + r.stderr).contains("does not verify"), r.stdout + r.stderr)
        // Signed anew by a key of the sender's (a stolen one, say): our own user's event must still verify.
        package["signature"] = nil
        package["sha256"] = nil
        var resigned = try TransferPackage(
            json: .object(
                package.merging(
                    ["sha256": .string(SHA256.hex(Array(JSONWriter.compact(.object(package)).utf8)))]) { $1 }))
        let mo = try notts.keys!.privateFile("mo")
        let sig = try SSHKeygen(environment: [:]).sign(
            PackageSignature.message(resigned.signedDigest),
            with: SigningKey(publicKey: try PublicKey.read(file: mo + ".pub"), privatePath: mo, source: "test"))
        let carried = try (["alex"] + Harness.staff.map(\.0)).map {
            try PublicKey.read(file: try notts.keys!.publicFile($0))
        }
        resigned.signature = PackageSignature(
            by: "mo", key: try PublicKey.read(file: mo + ".pub"), sig: sig, keys: carried)
        try Data(resigned.bytes).write(to: URL(fileURLWithPath: reply.json))
        let again = try barnet.run(["transfer", "import", reply.json], as: "bo")
        XCTAssertEqual(again.status, 65, again.stdout + again.stderr)
        XCTAssertTrue((again.stdout + again.stderr).contains("forged0000000000009"), again.stdout + again.stderr)
        XCTAssertEqual(try barnet.loadCase("YP-0001").state.name, "Jordan Smith")
    }
}

/// `ap sync` between two signed sites through a hub: a case only the hub changed reaches a
/// site without ap's merge driver, so sync checks it before git merges.
final class SignedSyncTests: XCTestCase {
    var bin: String { URL(fileURLWithPath: Harness.binary).deletingLastPathComponent().path }

    @discardableResult
    func git(_ args: [String], in dir: String) throws -> String { try Harness.git(args, in: dir) }

    func testSyncTakesSignedWorkAndRefusesAForgedCommit() throws {
        let h = try Harness(signed: true)
        try h.expectOK(["git", "setup"], as: "alex")
        try h.caseWithStage()
        let hub = h.dir + "-hub.git"
        let other = h.dir + "-other"
        addTeardownBlock {
            try? FileManager.default.removeItem(atPath: hub)
            try? FileManager.default.removeItem(atPath: other)
        }
        try git(["init", "-q", "--bare", hub], in: NSTemporaryDirectory())
        try git(["remote", "add", "origin", hub], in: h.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        try git(["clone", "-q", hub, other], in: NSTemporaryDirectory())
        // Signed work at the first site reaches the second and verifies there.
        try h.expectOK(["stage", "set", "YP-0001", "rosh=low"], as: "pat")
        try h.expectOK(["sync"], as: "pat")
        let synced = try h.run(["-C", other, "sync"], as: "kim")
        XCTAssertEqual(synced.status, 0, synced.stderr)
        XCTAssertEqual(try h.run(["-C", other, "verify"]).status, 0)
        // A hostile commit: a countersignature typed into the case, pushed to the hub.
        try Forger.edit(file: h.caseFile("YP-0001")) { events in
            events.append(
                Forger.event(
                    after: events, id: "forged0000000000011", type: EventType.caseUpdated, by: "mo",
                    payload: ["fields": ["name": "Pushed By Forger"]]))
        }
        try git(["commit", "-qam", "hostile"], in: h.dir)
        try git(["push", "-q", "origin", "HEAD:master"], in: h.dir)
        let before = try git(["rev-parse", "HEAD"], in: other)
        let refused = try h.run(["-C", other, "sync"], as: "kim")
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("forged0000000000011") && refused.stderr.contains("nothing was merged"),
            refused.stderr)
        XCTAssertEqual(try git(["rev-parse", "HEAD"], in: other), before)
        XCTAssertEqual(try h.run(["-C", other, "verify"]).status, 0)
    }
}

/// A stage sent to a partner carries its sender's signature, which the partner can check
/// with ssh-keygen alone.
final class SignedStagePackageTests: XCTestCase {
    func testAStageSentIsSignedAndAChangeShows() throws {
        let h = try Harness(signed: true)
        try h.expectOK(
            ["org", "add", "LA-SC", "--name", "Barnet Children's Services", "--type", "social-care"], as: "alex")
        try h.caseWithStage("YP-0001", kind: "review")
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=medium", "saw=medium", "lor=medium", "scaled-approach=enhanced"],
            as: "pat")
        let submitted = try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        if submitted.stdout.contains("awaits countersignature") {
            try h.expectOK(["countersign", "YP-0001"], as: "mo")
        }
        let outbox = h.dir + "-outbox"
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let sent = try h.expectOK(["stage", "send", "YP-0001", "--to", "LA-SC", "--out", outbox, "--json"], as: "kim")
            .json
        let path = try XCTUnwrap(sent?["files"]?.arrayValue?.first?.stringValue)
        guard case .object(var package) = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        else { return XCTFail("package") }
        let signature = try PackageSignature(json: try XCTUnwrap(package["signature"]))
        XCTAssertEqual(signature.by, "kim")
        XCTAssertEqual(signature.key.fingerprint, try h.keys!.fingerprint("kim"))
        // What a partner does: the digest of the package without signature and checksum, and
        // ssh-keygen -Y verify with the sender's published key.
        func checks(_ p: [String: JSONValue]) throws -> Bool {
            var content = p
            content["signature"] = nil
            content["sha256"] = nil
            let digest = SHA256.hex(Array(JSONWriter.compact(.object(content)).utf8))
            return try SSHKeygen(environment: [:]).verify(
                PackageSignature.message(digest), signature: Seal(key: signature.key.fingerprint, sig: signature.sig),
                key: signature.key, principal: "kim@BARNET")
        }
        XCTAssertTrue(try checks(package))
        package["stage"]?["answers"]?["rosh"] = "low"
        XCTAssertFalse(try checks(package))
    }
}

/// The queue counts what the verified events say: a countersignature typed into a case by
/// hand does not take its stage out of the queue.
final class SignedQueueTests: XCTestCase {
    func testAForgedCountersignatureLeavesTheStageInTheQueue() throws {
        let h = try Harness(signed: true)
        try h.caseWithStage()
        try h.expectOK(
            ["stage", "set", "YP-0001", "rosh=medium", "saw=low", "lor=low", "scaled-approach=enhanced"],
            as: "pat")
        try h.expectOK(["stage", "submit", "YP-0001"], as: "pat")
        XCTAssertEqual(try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue?.count, 1)
        // mo's countersignature, typed in with the state derived again, as a careful forger would.
        let stage = try h.loadCase("YP-0001").state.stages[0].id
        let file = try Forger.edit(file: h.caseFile("YP-0001")) { events in
            events.append(Forger.countersignature(events, id: "forged0000000000021", stage: stage))
        }
        XCTAssertEqual(file.state.stages[0].status, .completed, "the forgery completes the stage")
        // Still awaiting countersignature in the queue, marked.
        let queue = try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue ?? []
        XCTAssertEqual(queue.count, 1)
        XCTAssertEqual(queue.first?["unverified"], true)
        XCTAssertTrue(try h.expectOK(["queue"], as: "mo").stdout.contains("UNVERIFIED"))
        // The real countersignature takes it out.
        try Forger.edit(file: h.caseFile("YP-0001")) { events in  // restored from git, say
            events.removeAll { $0["id"]?.stringValue == "forged0000000000021" }
        }
        try h.expectOK(["countersign", "YP-0001"], as: "mo")
        XCTAssertEqual(try h.expectOK(["queue", "--json"], as: "mo").json?.arrayValue?.count, 0)
    }

}
