@testable import APModel
import Foundation
import XCTest

/// The readers behind `ap transfer import` (issue 27): compound files, Outlook messages, TNEF,
/// S/MIME and mboxes, with damage of every kind refused and never a crash or a hang.
final class MailFormatTests: XCTestCase {
    static let poi = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/outlook/poi")

    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: MailFormatTests.poi.appendingPathComponent(name)))
    }

    static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        for k in 0..<4 { b[at + k] = UInt8((v >> (8 * k)) & 0xFF) }
    }

    func testOutlookAttachmentsAreReadByName() throws {
        let read = try OutlookMessage.read(try fixture("attachment_test_msg.msg"))
        XCTAssertEqual(read.listed.map(\.name), ["test-unicode.doc", "pj1.txt"])
        XCTAssertEqual(read.listed.map(\.size), [24064, 89])
        XCTAssertEqual(read.attachments.count, 0, "neither is a package candidate")
        XCTAssertEqual(read.skipped, 2)
        // Every well-formed POI message opens.
        for name in try FileManager.default.contentsOfDirectory(atPath: MailFormatTests.poi.path)
        where name.hasSuffix(".msg") && !name.hasPrefix("clusterfuzz") {
            XCTAssertNoThrow(try OutlookMessage.read(try fixture(name)), name)
        }
    }

    func testAWordFileIsNotAnOutlookMessage() throws {
        // The compound file inside an attached OLE object is a document, not a message.
        var file = try fixture("attachment_test_msg.msg")
        let compound = try CompoundFile(file)
        let top = try compound.children(of: 0)
        for (name, index) in top where name.hasPrefix("__substg1.0_") || name == "__properties_version1.0" {
            let at = directoryOffset(file, index)
            file[at] = UInt8(ascii: "X")  // rename: __substg → X_substg
        }
        XCTAssertThrowsError(try OutlookMessage.read(file)) { e in
            XCTAssertTrue("\(e)".contains("not an Outlook message"), "\(e)")
        }
    }

    /// Where directory entry `index` starts (the directory's chain followed through the FAT).
    func directoryOffset(_ file: [UInt8], _ index: Int) -> Int {
        let shift = Int(CompoundFile.u16(file, 30))
        var sector = CompoundFile.u32(file, 48)
        let perSector = (1 << shift) / 128
        let fatSector = Int(CompoundFile.u32(file, 76))
        for _ in 0..<(index / perSector) {
            sector = CompoundFile.u32(file, ((fatSector + 1) << shift) + 4 * Int(sector))
        }
        return ((Int(sector) + 1) << shift) + 128 * (index % perSector)
    }

    func testChainLoopsDirectoryLoopsAndShortChainsAreRefused() throws {
        let original = try fixture("attachment_test_msg.msg")
        let compound = try CompoundFile(original)
        let big = compound.entries.firstIndex { $0?.kind == .stream && ($0?.size ?? 0) >= 4096 }!
        let start = compound.entries[big]!.start
        let fatSector = Int(CompoundFile.u32(original, 76))

        var loop = original
        MailFormatTests.put32(&loop, (fatSector + 1) * 512 + 4 * Int(start), start)
        XCTAssertThrowsError(try CompoundFile(loop).read(big)) { XCTAssertTrue("\($0)".contains("loops"), "\($0)") }

        var tree = original
        let root = try compound.children(of: 0)
        let first = root["__properties_version1.0"]!
        MailFormatTests.put32(&tree, directoryOffset(tree, first) + 68, UInt32(first))
        XCTAssertThrowsError(try CompoundFile(tree).children(of: 0)) {
            XCTAssertTrue("\($0)".contains("directory tree loops"), "\($0)")
        }

        var short = original
        MailFormatTests.put32(&short, directoryOffset(short, big) + 120, UInt32(compound.entries[big]!.size * 4))
        XCTAssertThrowsError(try CompoundFile(short).read(big)) {
            XCTAssertTrue("\($0)".contains("declares"), "\($0)")
        }

        var outside = original
        MailFormatTests.put32(&outside, directoryOffset(outside, big) + 116, 0x00F0_0000)
        XCTAssertThrowsError(try CompoundFile(outside).read(big)) {
            XCTAssertTrue("\($0)".contains("outside"), "\($0)")
        }
    }

    /// Truncation at many lengths and thousands of bit flips: each read ends, with the
    /// message's attachments or a clear refusal.
    func testDamagedCompoundFilesNeverCrashOrHang() throws {
        let original = try fixture("attachment_test_msg.msg")
        var refused = 0, read = 0
        for cut in stride(from: 0, to: original.count, by: 97) {
            do { _ = try PackageFinder(Array(original.prefix(cut))); read += 1 } catch { refused += 1 }
        }
        var seed: UInt64 = 27
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + next() % 8) {
                // Most flips land in the structures: the header, the FAT and the directory.
                let at = next() % 3 == 0 ? next() % bytes.count : next() % 4096
                bytes[at] ^= UInt8(1 << (next() % 8))
            }
            do { _ = try OutlookMessage.read(bytes); read += 1 } catch let e as APError {
                refused += 1
                XCTAssertFalse(e.message.isEmpty)
            }
        }
        XCTAssertGreaterThan(refused, 100)
        XCTAssertGreaterThan(read, 100)
    }

    func testTNEFAttachmentsAndDamage() throws {
        let dat = try fixture("bug52400-winmail-with-attachments.dat")
        let attachments = try TNEF.attachments(dat)
        XCTAssertEqual(attachments.map(\.name), ["scion_tc_2007_maintenanceguide.pdf", "Duke_Wave.png"])
        XCTAssertEqual(attachments.map(\.bytes.count), [193258, 122016])
        var long = dat
        MailFormatTests.put32(&long, 6 + 5, 0xFFFF_FFF0)  // the first attribute claims 4 GB
        XCTAssertThrowsError(try TNEF.attachments(long)) { XCTAssertTrue("\($0)".contains("past the end"), "\($0)") }
        for cut in stride(from: 0, to: dat.count, by: 997) {
            _ = try? TNEF.attachments(Array(dat.prefix(cut)))
        }
    }

    func testMboxIsSplitAndUnquoted() throws {
        let mbox = """
            From a@b Mon Nov 30 09:00:00 2026
            Subject: one

            >From the YOT
            >>From twice
            From here on, not a separator (no blank line before it)

            From c@d Mon Nov 30 09:01:00 2026
            Subject: two

            body
            """
        let messages = try Mailbox.split(Array(mbox.utf8)).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages[0], """
            Subject: one

            From the YOT
            >From twice
            From here on, not a separator (no blank line before it)


            """)
        XCTAssertEqual(messages[1], "Subject: two\n\nbody")
        XCTAssertTrue(Mailbox.isMbox(Array(mbox.utf8)))
        XCTAssertFalse(Mailbox.isMbox(Array("Subject: x\n".utf8)))
    }

    func testSMIMEStructures() throws {
        // ContentInfo { signedData, [0] { SignedData { 1, {}, { data, [0] { OCTET STRING ... } } } } },
        // written with BER indefinite lengths and a constructed octet string, as streaming signers do.
        let content = Array("Subject: x\r\n\r\nhello".utf8)
        let half = content.count / 2
        let octets: [UInt8] = [0x24, 0x80, 0x04, UInt8(half)] + content[..<half] + [0x04, UInt8(content.count - half)]
            + content[half...] + [0, 0]
        let dataOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]
        let encapsulated: [UInt8] = [0x30, 0x80] + dataOID + [0xA0, 0x80] + octets + [0, 0, 0, 0]
        let signed: [UInt8] = [0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00] + encapsulated + [0, 0]
        let info: [UInt8] = [0x30, 0x80, 0x06, 0x09] + SMIME.signedData + [0xA0, 0x80] + signed + [0, 0, 0, 0]
        XCTAssertEqual(try SMIME.open(info), .signed(content))
        let enveloped: [UInt8] = [0x30, 0x0D, 0x06, 0x09] + SMIME.envelopedData + [0xA0, 0x00]
        XCTAssertEqual(try SMIME.open(enveloped), .encrypted)
        for cut in 0..<info.count {
            XCTAssertThrowsError(try SMIME.open(Array(info.prefix(cut))), "cut at \(cut)")
        }
        let deep = Array(repeating: [UInt8](arrayLiteral: 0x30, 0x80), count: 5000).flatMap { $0 }
        XCTAssertThrowsError(try SMIME.open(deep)) { XCTAssertTrue("\($0)".contains("nested too deeply"), "\($0)") }
    }

    func testByteOrderMarksAndUnrelatedJSON() throws {
        XCTAssertThrowsError(try PackageFinder([0xFE, 0xFF, 0, 0x7B])) {
            XCTAssertTrue("\($0)".contains("UTF-16"), "\($0)")
        }
        let calendar = try PackageFinder([0xEF, 0xBB, 0xBF] + Array("{\"events\": []}".utf8))
        XCTAssertEqual(calendar.format, .package)
        XCTAssertTrue(calendar.packages.isEmpty)
        XCTAssertTrue(calendar.nothingFound.contains("not an ap transfer package"))
        XCTAssertThrowsError(try PackageFinder(Array("{\"format\": \"ap-transfer\", \"version\": 1".utf8)),
                             "a damaged package is refused, never passed over as unrelated")
    }
}
