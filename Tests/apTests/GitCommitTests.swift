import APModel
import Foundation
import XCTest

/// A write's git commit made from plumbing (issue 29): only the files the command wrote, by
/// its user, with git's index left agreeing with the commit, whatever else is staged.
final class GitCommitTests: XCTestCase {
    func testAWriteCommitsOnlyItsFilesAndLeavesGitClean() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try Data("unrelated\n".utf8).write(to: URL(fileURLWithPath: h.dir + "/notes.txt"))
        try Harness.git(["add", "notes.txt"], in: h.dir)
        let ignore = try FileHandle(forWritingTo: URL(fileURLWithPath: h.dir + "/.gitignore"))
        try ignore.seekToEnd()
        try ignore.write(contentsOf: Data("# a local change, not staged\n".utf8))
        try ignore.close()
        let before = try Harness.git(["rev-parse", "HEAD"], in: h.dir)
        try h.expectOK(["case", "new", "YP-0001", "--name", "Jordan Smith", "--dob", "2009-03-14"], as: "bo")
        let show = try Harness.git(["show", "--name-status", "--format=%s|%an|%ae|%P", "HEAD"], in: h.dir)
        let lines = show.split(separator: "\n").map(String.init)
        let parent = before.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(lines.first, "case new YP-0001 (bo)|Bo Fenn|bo@barnet.ap.invalid|" + parent)
        XCTAssertEqual(lines.dropFirst().filter { !$0.isEmpty }, ["A\t" + CaseID.relativePath("YP-0001")])
        let status = try Harness.git(["status", "--porcelain"], in: h.dir)
        XCTAssertEqual(status.split(separator: "\n").sorted(), [" M .gitignore", "A  notes.txt"], status)
        try Harness.git(["fsck", "--strict", "--no-progress"], in: h.dir)
        // A second write to the same shard folder keeps the other files of the tree.
        try h.expectOK(["case", "new", "YP-0002", "--name", "Sam Lee", "--dob", "2010-01-01"], as: "bo")
        let files = try Harness.git(["ls-tree", "-r", "--name-only", "HEAD"], in: h.dir).split(separator: "\n")
        XCTAssertTrue(files.contains { $0 == CaseID.relativePath("YP-0001") }, "\(files)")
        XCTAssertTrue(files.contains { $0 == CaseID.relativePath("YP-0002") }, "\(files)")
        XCTAssertTrue(files.contains(".ap/config.json"))
    }

    /// A file removed is removed from the commit, and a folder left empty with it.
    func testARemovedFileLeavesTheTreeAndAnEmptyFolderGoes() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        try FileManager.default.createDirectory(atPath: h.dir + "/extra/deep", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: h.dir + "/extra/deep/file.txt"))
        try Harness.git(["add", "extra"], in: h.dir)
        try Harness.git(["commit", "-qm", "extra"], in: h.dir)
        try FileManager.default.removeItem(atPath: h.dir + "/extra")
        let alex = User(id: "alex", name: "Alex Admin", roles: [.admin])
        try Git(root: h.dir).commit(message: "remove extra", author: alex, yot: "BARNET", only: ["extra/deep/file.txt"])
        let tree = try Harness.git(["ls-tree", "--name-only", "HEAD"], in: h.dir)
        XCTAssertFalse(tree.contains("extra"), tree)
        XCTAssertEqual(try Harness.git(["status", "--porcelain"], in: h.dir), "")
        XCTAssertEqual(try Harness.git(["log", "-1", "--format=%s"], in: h.dir), "remove extra\n")
    }
}

/// `ap status` says when git would not merge case files with ap, reading the files first and
/// asking git only when they do not say (issue 29: no git started on every status).
final class DriverWarningTests: XCTestCase {
    let warning = "git does not merge case files with ap"

    func said(_ h: Harness, _ env: [String: String] = [:]) throws -> Bool {
        let r = try h.expectOK(["status"], as: "pat", env: env)
        return (r.stdout + r.stderr).contains(warning)
    }

    func testTheWarningFollowsTheDriverAndTheAttribute() throws {
        let h = try Harness()
        try h.expectOK(["git", "setup"], as: "alex")
        XCTAssertFalse(try said(h), "set up here")
        // A driver taken out of git's config is put back by the next command, which then finds it.
        try Harness.git(["config", "--unset", "merge.ap.driver"], in: h.dir)
        XCTAssertFalse(try said(h))
        XCTAssertTrue(try Harness.git(["config", "--get", "merge.ap.driver"], in: h.dir).contains("merge --git"))
        // Without the attribute git merges case files as text: said, whatever the config holds.
        try FileManager.default.removeItem(atPath: h.dir + "/.gitattributes")
        let r = try h.expectOK(["status", "--json"], as: "pat")
        XCTAssertEqual(r.json?["repositoryWarnings"], .array([.string(warning)]), r.stdout)
    }
}
