import Foundation
import XCTest

@testable import APModel

/// Multi-file writes through the journal, with faults injected at each rename and write
/// (issue 16, item 1): a crash leaves all the files written or, after recovery, all of them.
final class JournalTests: XCTestCase {
    struct Crash: Error {}

    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "ap-journal-" + UUID().uuidString
        let config = Config(yotCode: "BARNET", yotName: "B", admin: User(id: "alex", name: "A", roles: [.admin]))
        _ = try Repository.initialize(at: dir, config: config)
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(atPath: dir) }
        addTeardownBlock {
            FileSystem.beforeRename = nil
            FileSystem.beforeWrite = nil
        }
    }

    func cases(_ n: Int, name: String) throws -> [CaseFile] {
        try (1...n).map { i in
            let created = try CaseRules.create(
                name: name, dob: "2010-01-01", lookedAfter: false, today: Day("2026-11-02")!)
            return try CaseFile(
                id: "YP-\(i)",
                events: [
                    Event(
                        id: "e\(i)", at: Timestamp("2026-11-02T09:00:00.000Z")!, by: "bo", osUser: "t",
                        type: created.type,
                        payload: created.payload)
                ])
        }
    }

    func names(_ repo: Repository) throws -> [String] {
        try repo.caseFiles().map { try repo.loadCase($0.id).state.name }
    }

    func temporaryFiles() -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp-") }
    }

    func batch(_ repo: Repository, _ files: [CaseFile]) throws {
        repo.beginBuffering()
        for f in files { try repo.saveCase(f) }
        try repo.flush()
    }

    func testACrashAtEachRenameIsFinishedByTheNextProcess() throws {
        let repo = Repository(root: dir)
        try batch(repo, try cases(10, name: "Old"))
        // Rename 1 puts the journal in place; renames 2 to 11 the cases.
        for k in 1...11 {
            var count = 0
            FileSystem.beforeRename = { _ in
                count += 1
                if count == k { throw Crash() }
            }
            XCTAssertThrowsError(try batch(repo, try cases(10, name: "New \(k)")))
            FileSystem.beforeRename = nil
            if k == 1 {
                // Failed before the journal was in place: nothing changed, nothing left over.
                XCTAssertNil(try Journal.recover(dir))
                XCTAssertEqual(Set(try names(repo)), ["Old"])
                XCTAssertEqual(temporaryFiles(), [])
                continue
            }
            XCTAssertEqual(try names(repo).filter { $0 == "New \(k)" }.count, k - 2, "the crash left \(k - 2) renamed")
            // The next process to take the lock finishes the journal.
            XCTAssertEqual(try Journal.recover(dir), 10)
            XCTAssertEqual(try names(repo), Array(repeating: "New \(k)", count: 10))
            XCTAssertEqual(temporaryFiles(), [])
            XCTAssertNil(try Journal.recover(dir), "nothing left to do")
        }
    }

    func testAFullDiskHalfWayChangesNothing() throws {
        let repo = Repository(root: dir)
        try batch(repo, try cases(10, name: "Old"))
        var count = 0
        FileSystem.beforeWrite = { _ in
            count += 1
            if count == 6 { throw APError.io("No space left on device") }
        }
        XCTAssertThrowsError(try batch(repo, try cases(10, name: "New")))
        FileSystem.beforeWrite = nil
        XCTAssertEqual(try names(repo), Array(repeating: "Old", count: 10))
        XCTAssertEqual(temporaryFiles(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.ap/journal"))
    }

    func testAJournalThatIsNotWholeOrLeavesTheRepositoryIsDiscarded() throws {
        let repo = Repository(root: dir)
        try batch(repo, try cases(2, name: "Old"))
        let temp = try FileSystem.writeTemporary(for: repo.casePath("YP-1"), Array("{}".utf8))
        let rel = String(temp.dropFirst(dir.count + 1))
        for text in [
            "ap-journal 1\n\(rel)\t\(CaseID.relativePath("YP-1"))\n",  // no end line: not whole
            "ap-journal 1\n\(rel)\t../../outside.json\nend 1\n",  // a target outside the case files
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/.ap/journal"))
            XCTAssertEqual(try Journal.recover(dir), 0)
            XCTAssertEqual(try names(repo), ["Old", "Old"])
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.ap/journal"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp), "the named temporary file went with the journal")
    }
}

final class MakeFolderTests: XCTestCase {
    /// `a/missing/..` names `a`: making it must not change the mode of a folder ap did not make
    /// (it once set /tmp to 0750 through an outbox path like that).
    func testAnExistingFolderKeepsItsMode() throws {
        let parent = NSTemporaryDirectory() + "ap-mkdir-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        XCTAssertEqual(chmod(parent, 0o755), 0)
        try FileSystem.makeFolder(parent + "/missing/../box")
        XCTAssertEqual(FileSystem.mode(parent), 0o755)
        XCTAssertTrue(FileSystem.isDirectory(parent + "/box"))
        XCTAssertEqual(FileSystem.mode(parent + "/box"), FileSystem.folderMode)
    }
}
