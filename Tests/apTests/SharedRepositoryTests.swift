import APModel
import Foundation
import XCTest

/// A repository several accounts of one group work in (issue 22): modes as git's
/// `--shared=group`, and logins binding each account to its ap user. The real-accounts test
/// makes a group and two accounts with useradd, so it runs only as root (as CI does).
final class SharedRepositoryTests: XCTestCase {
    func testSharedModesWhateverTheUmask() throws {
        let dir = NSTemporaryDirectory() + "ap-shared-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            umask 077
            "$AP" init "$D" --yot X --yot-name X --admin alex --shared group --git
            cd "$D" && AP_USER=alex "$AP" case new YP-1 --name "A B" --dob 2010-01-01 && AP_USER=alex "$AP" queue
            """
        let (status, output) = try Harness.tool("/bin/bash", ["-c", script], env: ["AP": Harness.binary, "D": dir])
        XCTAssertEqual(status, 0, output)
        for folder in ["", "/.ap", "/cases", "/" + FileSystem.parent(CaseID.relativePath("YP-1"))] {
            XCTAssertEqual(FileSystem.mode(dir + folder), 0o2770, "folder \(folder)")
        }
        for file in ["/.ap/config.json", "/.ap/index", "/.ap/lock", "/" + CaseID.relativePath("YP-1")] {
            XCTAssertEqual(FileSystem.mode(dir + file), 0o660, file)
        }
        XCTAssertEqual(try Harness.tool("git", ["-C", dir, "config", "core.sharedRepository"]).output, "1\n")
        // Without --shared, today's private modes stay.
        let (_, _) = try Harness.tool(
            "/bin/bash", ["-c", "umask 022; \"$AP\" init \"$D/private\" --yot X --yot-name X --admin a"],
            env: ["AP": Harness.binary, "D": dir + "-p"])
        defer { try? FileManager.default.removeItem(atPath: dir + "-p") }
        XCTAssertEqual(FileSystem.mode(dir + "-p/private/.ap"), 0o750)
        XCTAssertEqual(FileSystem.mode(dir + "-p/private/.ap/config.json"), 0o640)
    }

    func testTwoAccountsOfOneGroupEachActAsTheirOwnUser() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
            FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
        else { throw XCTSkip("needs root, useradd and runuser (CI)") }
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let group = "apg\(tag)"
        let first = "apa\(tag)"
        let second = "apb\(tag)"
        XCTAssertEqual(try Harness.tool("/usr/sbin/groupadd", [group]).status, 0)
        defer { _ = try? Harness.tool("/usr/sbin/groupdel", [group]) }
        for account in [first, second] {
            XCTAssertEqual(
                try Harness.tool("/usr/sbin/useradd", ["-M", "-N", "-g", group, "-s", "/bin/sh", account]).status, 0)
        }
        defer { for account in [first, second] { _ = try? Harness.tool("/usr/sbin/userdel", [account]) } }
        // A folder every account can reach (the test's own temporary folder may not be).
        guard
            let open = ["/var/tmp", "/dev/shm", "/tmp"].first(where: { (FileSystem.mode($0) ?? 0) & 0o1777 == 0o1777 })
        else { throw XCTSkip("no world-writable temporary folder for the accounts") }
        let work = open + "/ap-accounts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        chmod(work, 0o1777)  // like /tmp: the first account makes the repository here
        // Each account's own key, readable by it alone.
        let keys = try KeyRing(work + "/keys")
        chmod(keys.dir, 0o755)
        for (name, account) in [("alex", first), ("bo", second)] {
            _ = try keys.privateFile(name)
            chmod(keys.dir + "/" + name + ".pub", 0o644)
            XCTAssertEqual(try Harness.tool("chown", [account, keys.dir + "/" + name]).status, 0)
        }
        let repo = work + "/repo"
        func ap(_ account: String, _ key: String, _ args: [String]) throws -> (status: Int32, output: String) {
            try Harness.tool(
                "/usr/sbin/runuser",
                [
                    "-u", account, "--", "env", "AP_SIGNING_KEY=\(keys.dir)/\(key)",
                    "HOME=/nonexistent", "AP_USER=", "AP_NOW=", Harness.binary, "-C", repo,
                ] + args)
        }
        let made = try Harness.tool(
            "/usr/sbin/runuser",
            [
                "-u", first, "--", "env", "AP_SIGNING_KEY=\(keys.dir)/alex", "HOME=/nonexistent", Harness.binary,
                "init", repo,
                "--yot", "X", "--yot-name", "X", "--admin", "alex", "--shared", "group", "--admin-key",
                keys.dir + "/alex.pub",
            ])
        XCTAssertEqual(made.status, 0, made.output)
        XCTAssertEqual(try ap(first, "alex", ["user", "update", "alex", "--login", first, "--as", "alex"]).status, 0)
        let added = try ap(
            first, "alex",
            [
                "user", "add", "bo", "--name", "Bo", "--role", "business-support", "--key-file",
                keys.dir + "/bo.pub", "--login", second, "--as", "alex",
            ])
        XCTAssertEqual(added.status, 0, added.output)
        XCTAssertEqual(try ap(first, "alex", ["config", "set", "logins", "required", "--as", "alex"]).status, 0)
        // The second account acts as bo, named or not, and as nobody else.
        let created = try ap(second, "bo", ["case", "new", "YP-1", "--name", "A B", "--dob", "2010-01-01"])
        XCTAssertEqual(created.status, 0, created.output)
        let posing = try ap(second, "bo", ["case", "update", "YP-1", "name=C D", "--as", "alex"])
        XCTAssertEqual(posing.status, 77, posing.output)
        XCTAssertTrue(posing.output.contains("acts as 'bo'"), posing.output)
        // What one account wrote, the other reads and checks.
        XCTAssertEqual(FileSystem.mode(repo + "/" + CaseID.relativePath("YP-1")), 0o660)
        let verified = try ap(first, "alex", ["verify"])
        XCTAssertEqual(verified.status, 0, verified.output)
        XCTAssertTrue(verified.output.contains("2 verified") || verified.output.contains("1 verified"), verified.output)
        XCTAssertEqual(try ap(first, "alex", ["case", "show", "YP-1"]).status, 0)
    }
}
