@testable import APModel
import Foundation
import XCTest

/// `FileSystem.removeTree`, which removes ap's temporary folders (a print's, a sync's merged
/// files): everything inside goes, and a link planted in their place is removed, never followed.
final class RemoveTreeTests: XCTestCase {
    func testAFolderGoesWholeAndALinkIsNeverFollowed() throws {
        let base = NSTemporaryDirectory() + "ap-remove-tree-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: base) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/tmp/profile/deep", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: base + "/tmp/profile/deep/file"))
        try Data("y".utf8).write(to: URL(fileURLWithPath: base + "/tmp/page.html"))
        try fm.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: base + "/outside/precious"))
        try fm.createSymbolicLink(atPath: base + "/tmp/link", withDestinationPath: base + "/outside")
        FileSystem.removeTree(base + "/tmp")
        XCTAssertFalse(fm.fileExists(atPath: base + "/tmp"))
        XCTAssertTrue(fm.fileExists(atPath: base + "/outside/precious"), "followed a link inside")
        // A link where the folder should be: the link goes, what it points at stays.
        try fm.createSymbolicLink(atPath: base + "/planted", withDestinationPath: base + "/outside")
        FileSystem.removeTree(base + "/planted")
        XCTAssertFalse(FileSystem.isSymlink(base + "/planted"))
        XCTAssertTrue(fm.fileExists(atPath: base + "/outside/precious"), "followed the planted link")
        FileSystem.removeTree(base + "/missing")  // nothing there: nothing done, no error
    }
}
