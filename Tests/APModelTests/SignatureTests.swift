import Foundation
import XCTest

@testable import APModel

/// A stand-in for ssh-keygen in unit tests: a "signature" is the SHA-256 of the key and the
/// message, so it is checkable and unforgeable without the key's name. Never used by ap.
struct FakeSignatures: SignatureTool {
    func sign(_ message: String, with key: SigningKey) throws -> String {
        SHA256.hex(Array((key.publicKey.line + message).utf8))
    }
    func verify(_ message: String, signature: Seal, key: PublicKey, principal: String) throws -> Bool {
        signature.sig == SHA256.hex(Array((key.line + message).utf8))
    }
    func agentKeys() -> [PublicKey] { [] }
    func publicKey(ofPrivate path: String) throws -> PublicKey { throw APError.io("no files here") }

    /// A well-formed ed25519 public key whose 32 bytes are `n`.
    static func key(_ n: UInt8) -> PublicKey {
        let type = Array("ssh-ed25519".utf8)
        let blob = [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, 32] + [UInt8](repeating: n, count: 32)
        return try! PublicKey(line: "ssh-ed25519 " + Data(blob).base64EncodedString(), source: "test")
    }
}

final class SignatureTests: XCTestCase {
    let tool = FakeSignatures()
    var verifier: SignatureVerifier { SignatureVerifier(tool: tool, cachePath: nil) }
    static let authors = ["pat", "mo", "bo", "lee", "alex"]

    func testEveryLeafFoldsToTheRoot() {
        for n in 1...33 {
            let leaves = (0..<n).map { SHA256.hex(Array("leaf \($0)".utf8)) }
            let (root, paths) = Digest.tree(leaves)
            for (i, leaf) in leaves.enumerated() {
                XCTAssertEqual(Digest.root(leaf, path: paths[i]), root, "leaf \(i) of \(n)")
                // Another leaf's path does not lead there.
                if n > 1 { XCTAssertNotEqual(Digest.root(leaf, path: paths[(i + 1) % n]), root) }
            }
        }
    }

    func testFingerprintsMatchSSHKeygens() throws {
        // ssh-keygen -l -E sha256 on this key prints this fingerprint.
        let key = try PublicKey(
            line: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL4zWOjO3wH3jRDNtu1QJvbe3H39PNDLkz8CmCrmPyQ0 test",
            source: "test")
        XCTAssertEqual(key.fingerprint, "SHA256:0wpd80lzgbB/D1WWvHbMUA0awgd/W1w4eR3a+N89NK0")
        XCTAssertThrowsError(try PublicKey(line: "-----BEGIN OPENSSH PRIVATE KEY-----", source: "x"))
        XCTAssertThrowsError(
            try PublicKey(
                line: "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIL4zWOjO3wH3jRDNtu1QJvbe3H39PNDLkz8CmCrmPyQ0",
                source: "x"), "type and data disagree")
    }

    /// The identity record with each author holding key n+1, signed entry by entry.
    func identity() throws -> IdentityRecord {
        var config = Config(
            yotCode: "BARNET", yotName: "Barnet", admin: User(id: "alex", name: "Alex", roles: [.admin]))
        config.users["alex"]?.keys = [FakeSignatures.key(5)]
        var record = IdentityRecord()
        var at = Timestamp(millis: 1_000)
        func add(_ entry: IdentityEntry, key: UInt8) throws {
            var e = entry
            e.seal = Seal(
                key: FakeSignatures.key(key).fingerprint,
                sig: try tool.sign(
                    e.message, with: SigningKey(publicKey: FakeSignatures.key(key), privatePath: nil, source: "t")))
            try record.append(e, verifier: verifier)
        }
        try add(IdentityRecord.genesis(config: config, anchor: "alex", at: at), key: 5)
        for (n, id) in SignatureTests.authors.dropLast().enumerated() {
            at = at.adding(millis: 1)
            let user: JSONValue = [
                "id": .string(id), "name": .string(id), "roles": ["practitioner", "manager"],
                "keys": [.string(FakeSignatures.key(UInt8(n + 1)).line)],
            ]
            try add(
                IdentityEntry(
                    at: at, by: "alex", type: IdentityEntryType.userAdded, payload: ["user": user],
                    prev: record.entries.last!.digest), key: 5)
        }
        return record
    }

    func testTheChainRefusesEntriesNotSignedByAnAdminOfTheTime() throws {
        let record = try identity()
        XCTAssertEqual(record.state.users.count, 5)
        XCTAssertEqual(try IdentityRecord(json: record.json, verifier: verifier).state, record.state, "reads back")
        // pat (no admin) adds herself the admin role with her own key.
        var rogue = record
        var e = IdentityEntry(
            at: Timestamp(millis: 9_000), by: "pat", type: IdentityEntryType.userUpdated,
            payload: ["id": "pat", "roles": ["admin"]], prev: record.entries.last!.digest)
        e.seal = Seal(
            key: FakeSignatures.key(1).fingerprint,
            sig: try tool.sign(
                e.message, with: SigningKey(publicKey: FakeSignatures.key(1), privatePath: nil, source: "t")))
        XCTAssertThrowsError(try rogue.append(e, verifier: verifier)) {
            XCTAssertTrue("\($0)".contains("not an active admin"))
        }
        // An entry changed after signing, or one removed, breaks the chain.
        guard case .object(var doc) = record.json, case .array(var entries)? = doc["entries"] else { return XCTFail() }
        entries[2]["payload"]?["user"]?["roles"] = ["admin"]
        doc["entries"] = .array(entries)
        XCTAssertThrowsError(try IdentityRecord(json: .object(doc), verifier: verifier))
        entries.remove(at: 1)
        doc["entries"] = .array(entries)
        XCTAssertThrowsError(try IdentityRecord(json: .object(doc), verifier: verifier)) {
            XCTAssertTrue("\($0)".contains("does not follow"), "\($0)")
        }
    }

    /// Seals the events of `file` not yet signed, as their authors' writes would.
    func sealed(_ file: CaseFile) throws -> CaseFile {
        var files = [file]
        let fresh = Set(file.events.filter { $0.seal == nil }.map(\.id))
        try Sealer.seal(
            &files, fresh: fresh,
            key: { author in
                let n = UInt8(SignatureTests.authors.firstIndex(of: author)! + 1)
                return SigningKey(publicKey: FakeSignatures.key(n), privatePath: nil, source: "test")
            }, tool: tool)
        return files[0]
    }

    /// The merge laws hold on signed copies, and a merged case verifies whole.
    func testMergeLawsHoldOverSignedEvents() throws {
        let identity = try identity().state
        for seed in 1...120 as ClosedRange<UInt64> {
            let (a0, b0, c0) = try MergeTests.copies(seed: seed)
            // The history all three share is signed once; each copy then signs its own writes.
            let shared = Set(a0.events.map(\.id)).intersection(b0.events.map(\.id)).intersection(c0.events.map(\.id))
            let base = try sealed(try CaseFile(id: "YP-1", events: a0.events.filter { shared.contains($0.id) }))
            func own(_ copy: CaseFile) throws -> CaseFile {
                let mine = copy.events.filter { !shared.contains($0.id) }
                var file = try CaseFile(id: "YP-1", events: base.events)
                try file.append(mine)
                return try sealed(file)
            }
            let (a, b, c) = (try own(a0), try own(b0), try own(c0))
            func m(_ x: CaseFile, _ y: CaseFile) throws -> CaseFile { try Merge.merge(x, y, into: "YP-1").file }
            XCTAssertEqual(try m(a, b), try m(b, a), "commutative, seed \(seed)")
            XCTAssertEqual(try m(a, try m(b, c)), try m(try m(a, b), c), "associative, seed \(seed)")
            XCTAssertEqual(try m(a, a), a, "idempotent, seed \(seed)")
            let all = try m(a, try m(b, c))
            let problems = try EventCheck.check(id: "YP-1", events: all.events, identity: identity, verifier: verifier)
                .filter(\.status.isProblem)
            XCTAssertEqual(problems, [], "seed \(seed)")
        }
    }

    func testAForgedSealIsCaughtWhateverItCopies() throws {
        let identity = try identity().state
        let (a0, _, _) = try MergeTests.copies(seed: 7)
        let a = try sealed(a0)
        XCTAssertEqual(
            try EventCheck.check(id: "YP-1", events: a.events, identity: identity, verifier: verifier)
                .filter(\.status.isProblem), [])
        // mo's event, its payload changed and its seal kept.
        var events = a.events
        let i = events.lastIndex { $0.by == "mo" } ?? events.count - 1
        events[i].payload["comment"] = "changed"
        let found = try EventCheck.check(id: "YP-1", events: events, identity: identity, verifier: verifier)
        XCTAssertEqual(found.first { $0.event == events[i].id }?.status, .badSignature)
        // The same event credited to another author.
        events = a.events
        events[i].by = events[i].by == "pat" ? "bo" : "pat"
        let credited = try EventCheck.check(id: "YP-1", events: events, identity: identity, verifier: verifier)
        XCTAssertEqual(credited.first { $0.event == events[i].id }?.status, .unknownKey)
    }
}
