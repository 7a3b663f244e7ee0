import APModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints a document to PDF through headless Chromium (issue 28). The page and Chromium's
/// profile live in a private folder inside the repository's `.ap/`, removed afterwards (or by
/// `ap fsck --repair` after a kill): a child's details never reach /tmp or the user's own
/// browser profile.
enum Chromium {
    static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// `AP_CHROMIUM`, else the first of `names` on PATH outside the repository, as git is
    /// found: a `chromium` a hostile push put in the repository is never run.
    static func program(outside root: String) -> String? {
        if let chosen = ProcessInfo.processInfo.environment["AP_CHROMIUM"], !chosen.isEmpty { return chosen }
        return names.lazy.compactMap { Subprocess.executable($0, excluding: root) }.first
    }

    static func print(_ html: String, in repo: Repository) throws -> [UInt8] {
        guard let program = program(outside: repo.root) else {
            throw APError.notFound(
                "headless Chromium was not found (tried \(names.joined(separator: ", ")) on PATH); install chromium "
                    + "or set AP_CHROMIUM, or write the same document with --html and print it from a browser")
        }
        // Named as a temporary: one an interrupted print leaves, 'ap fsck --repair' removes.
        var template = Array((repo.root + "/.ap/.print.tmp-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw APError.io("cannot make a folder in \(repo.root)/.ap") }
        let dir = String(cString: made)
        defer { FileSystem.removeTree(dir) }
        let page = dir + "/document.html", pdf = dir + "/document.pdf"
        try FileSystem.writeAtomically(page, Array(html.utf8))
        var args = [
            "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions",
            "--disable-sync", "--disable-background-networking", "--user-data-dir=\(dir)/profile",
            "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: page).absoluteString,
        ]
        // Chromium's sandbox refuses to start as root (CI containers); the page has no script.
        if geteuid() == 0 { args.insert("--no-sandbox", at: 0) }
        var environment = ProcessInfo.processInfo.environment
        for key in ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] { environment[key] = dir }
        let result = try Subprocess.run(program, args, environment: environment)
        let bytes = (try? FileSystem.read(pdf)) ?? []
        guard result.status == 0, bytes.starts(with: Array("%PDF-".utf8)) else {
            throw APError.io("\(program) did not print the document (exit \(result.status)); try --html")
        }
        return bytes
    }
}
