#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls `ap` needs, in one place: reads that refuse symbolic links,
/// atomic durable writes, private permissions whatever the umask.
public enum FileSystem {
    /// Private to the account (0640, 0750); in a repository shared by a group, as
    /// `git init --shared=group` makes it: 0660 and 2770, the group kept by setgid folders.
    nonisolated(unsafe) public private(set) static var fileMode: mode_t = 0o640
    nonisolated(unsafe) public private(set) static var folderMode: mode_t = 0o750
    public static let sharedFolderMode: mode_t = 0o2770

    /// Sets the modes for a shared (group) or private repository; one repository a process.
    public static func useShared(_ shared: Bool) {
        fileMode = shared ? 0o660 : 0o640
        folderMode = shared ? sharedFolderMode : 0o750
    }

    /// A folder made shared by `ap init --shared group`: setgid, and the group may write.
    public static func isShared(_ folder: String) -> Bool {
        mode(folder).map { $0 & 0o2070 == 0o2070 } ?? false
    }
    /// Larger files are refused rather than read into memory.
    public static let maxFileBytes = 64 << 20

    static func errorText() -> String { String(cString: strerror(errno)) }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` is a folder; a folder this user may not look into is an error saying
    /// so, not a folder that is absent.
    public static func isFolder(_ path: String) throws -> Bool {
        var st = stat()
        if stat(path, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFDIR }
        if errno == EACCES {
            throw APError.permission(
                "no permission to look into '\(parent(path))'; ask an admin for access to the repository")
        }
        return false
    }

    public static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// Reads a whole regular file. A symbolic link, a folder or an oversized file is refused.
    /// `followLinks` is for files the user names outside the repository.
    public static func read(_ path: String, limit: Int = maxFileBytes, followLinks: Bool = false) throws -> [UInt8] {
        let (fd, size) = try openRegular(path, limit: limit, followLinks: followLinks)
        defer { close(fd) }
        // One spare byte: the read that finds the end lands there, so a file that did not
        // grow is never copied into a larger buffer. Read into memory not zeroed first: the
        // index is large, and zeroing it was a pass over every page before the read.
        var failure: APError?
        var done = 0
        var out = [UInt8](unsafeUninitializedCapacity: size + 1) { buf, initialized in
            HugePages.advise(buf.baseAddress!, bytes: buf.count)
            (done, failure) = fill(fd, buf, path)
            initialized = done
        }
        if let failure { throw failure }
        guard done == size + 1 else { return out }
        // The file grew while it was read: on to its end.
        while true {
            if done == out.count { out.append(contentsOf: repeatElement(0, count: 4096)) }
            let n = try readSome(fd, into: &out, at: done, path)
            if n == 0 { break }
            done += n
            guard done <= limit else { throw APError.data("'\(path)' is larger than \(limit) bytes") }
        }
        out.removeLast(out.count - done)
        return out
    }

    /// The start of a file: `length` is asked, of its first 64 KiB (or all of it, if less), how
    /// many bytes are wanted; a file shorter than that gives what it has. Read through one
    /// open file, so the parts never come from two versions of it.
    public static func readPrefix(_ path: String, length: ([UInt8]) -> Int) throws -> [UInt8] {
        let (fd, size) = try openRegular(path, limit: maxFileBytes, followLinks: false)
        defer { close(fd) }
        // Not zeroed first, and cut to what is wanted in place: the queue reads this on every run.
        var failure: APError?
        var out = [UInt8](unsafeUninitializedCapacity: min(size, 65536)) { buf, initialized in
            (initialized, failure) = fill(fd, buf, path)
        }
        if let failure { throw failure }
        let wanted = length(out)
        if wanted <= out.count {
            out.removeLast(out.count - max(0, wanted))
            return out
        }
        // The rest after the start, into one buffer of the size wanted.
        let start = out
        out = [UInt8](unsafeUninitializedCapacity: min(wanted, size)) { buf, initialized in
            _ = buf.initialize(from: start)
            let (n, error) = fill(fd, UnsafeMutableBufferPointer(rebasing: buf[start.count...]), path)
            (initialized, failure) = (start.count + n, error)
        }
        if let failure { throw failure }
        return out
    }

    /// A regular file opened for reading, and its size; a link, a folder or a FIFO is refused.
    private static func openRegular(_ path: String, limit: Int, followLinks: Bool) throws -> (Int32, Int) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat below refuses it).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            if errno == ENOENT { throw APError.notFound("no such file '\(path)'") }
            if errno == ELOOP {
                throw APError.data("'\(path)' is a symbolic link; ap does not follow links in a repository")
            }
            if errno == EACCES { throw APError.permission("no permission to read '\(path)'") }
            throw APError.io("cannot open '\(path)': \(errorText())")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw APError.io("cannot stat '\(path)': \(errorText())")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw APError.data("'\(path)' is not a regular file")
        }
        guard Int(st.st_size) <= limit else {
            close(fd)
            throw APError.data("'\(path)' is larger than \(limit) bytes")
        }
        return (fd, Int(st.st_size))
    }

    /// Reads into `buf` from its start until it is full or the file ends: how many bytes were
    /// read, and the error that stopped it, if one did.
    private static func fill(_ fd: Int32, _ buf: UnsafeMutableBufferPointer<UInt8>, _ path: String) -> (Int, APError?) {
        var done = 0
        while done < buf.count {
            let n = Glibc_read(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return (done, .io("cannot read '\(path)': \(errorText())")) }
            if n == 0 { break }
            done += n
        }
        return (done, nil)
    }

    /// One read into `out` from `at` to its end (0 at the end of the file), retried on EINTR.
    private static func readSome(_ fd: Int32, into out: inout [UInt8], at: Int, _ path: String) throws -> Int {
        while true {
            let n = out.withUnsafeMutableBytes { buf in Glibc_read(fd, buf.baseAddress! + at, buf.count - at) }
            if n >= 0 { return n }
            if errno != EINTR { throw APError.io("cannot read '\(path)': \(errorText())") }
        }
    }

    /// Writes a file so that readers see the old or the new content, never a mixture, and a
    /// crash loses neither: a unique temporary file in the same folder, fsync, rename, fsync
    /// of the folder (engineering.md, "Safe writes").
    /// `syncFolder: false` leaves the folder's fsync to a caller that writes many files in it;
    /// `durable: false` skips the file's fsync too, for a file git can give again after a crash.
    public static func writeAtomically(
        _ path: String, _ bytes: [UInt8], syncFolder sync: Bool = true, durable: Bool = true
    ) throws {
        let temp = try writeTemporary(for: path, bytes, durable: durable)
        do { try replace(path, with: temp) } catch {
            unlink(temp)
            throw error
        }
        if sync { syncFolder(parent(path)) }
    }

    /// Writes `bytes` durably to a new temporary file beside `path` and returns its path:
    /// the first half of an atomic write, for writes of many files that rename together.
    public static func writeTemporary(for path: String, _ bytes: [UInt8], durable: Bool = true) throws -> String {
        try beforeWrite?(path)
        let folder = parent(path)
        let name = String(path.split(separator: "/").last ?? "")
        var fd: Int32 = -1
        var temp = ""
        for _ in 0..<16 {
            temp = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, fileMode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw APError.io("cannot create a temporary file in '\(folder)': \(errorText())") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temp) }
        }
        fchmod(fd, fileMode)
        try writeAll(fd, bytes, path: temp)
        guard !durable || fsync(fd) == 0 else { throw APError.io("cannot flush '\(temp)': \(errorText())") }
        ok = true
        return temp
    }

    /// A seam for tests: called before each rename with its number in this process (from 1);
    /// throwing stands for the process dying there, leaving the disk as it is.
    nonisolated(unsafe) public static var beforeRename: ((Int) throws -> Void)?
    /// The same for each temporary file written: throwing stands for a full disk.
    nonisolated(unsafe) public static var beforeWrite: ((String) throws -> Void)?
    nonisolated(unsafe) static var renames = 0

    /// The second half of an atomic write: `temp` takes `path`'s place.
    public static func replace(_ path: String, with temp: String) throws {
        renames += 1
        try beforeRename?(renames)
        guard rename(temp, path) == 0 else { throw APError.io("cannot replace '\(path)': \(errorText())") }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in Glibc_write(fd, buf.baseAddress! + done, buf.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw APError.io("cannot write '\(path)': \(errorText())")
            }
            done += n
        }
    }

    /// Makes a rename or a new entry in the folder durable.
    public static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Creates a folder (and its parents) with mode 0750 whatever the umask.
    public static func makeFolder(_ path: String) throws {
        if isDirectory(path) { return }
        let up = parent(path)
        if up != path, !up.isEmpty, !isDirectory(up) { try makeFolder(up) }
        // Only a folder made here gets ap's mode: `a/missing/..` names `a`, which is not ours.
        guard mkdir(path, folderMode) == 0 else {
            if errno == EEXIST { return }
            throw APError.io("cannot create folder '\(path)': \(errorText())")
        }
        chmod(path, folderMode)
        syncFolder(up)
    }

    /// Names in a folder, without `.` and `..`; empty if the folder does not exist.
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw APError.io("cannot list '\(path)': \(errorText())")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func remove(_ path: String) { unlink(path) }

    /// Removes a file, or a folder and all it holds (ap's temporary folders); a link is
    /// removed, never followed.
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { unlink(path); return }
        for name in (try? list(path)) ?? [] { removeTree(path + "/" + name) }
        rmdir(path)
    }

    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Size, modification time and inode: what tells the index whether a file changed.
    public struct Signature: Equatable, Sendable {
        public var size: Int64
        public var mtimeNanos: Int64
        public var inode: UInt64
    }

    public static func signature(_ path: String) -> Signature? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return signature(of: st)
    }

    /// The permission bits of a file or folder, for checks.
    public static func mode(_ path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o7777
    }

    public static var currentDirectory: String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

// Named wrappers: inside `FileSystem`, `read`/`write` would resolve to our own methods.
@inline(__always) func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
@inline(__always) func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

extension FileSystem {
    /// The entries of a folder with their signatures, read with one `fstatat` each
    /// (no path building): the index checks every case file this way.
    public struct Entry: Sendable {
        public var name: String
        public var signature: Signature?
    }

    public static func scan(_ path: String) throws -> [Entry] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw APError.io("cannot list '\(path)': \(errorText())")
        }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var out: [Entry] = []
        while let entry = readdir(dir) {
            let (name, sig): (String, Signature?) = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { cname in
                    var st = stat()
                    let sig: Signature? = fstatat(fd, cname, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFREG
                        ? signature(of: st) : nil
                    return (String(cString: cname), sig)
                }
            }
            if name != "." && name != ".." { out.append(Entry(name: name, signature: sig)) }
        }
        return out
    }

    static func signature(of st: stat) -> Signature {
        Signature(size: Int64(st.st_size), mtimeNanos: nanoseconds(of: st), inode: UInt64(st.st_ino))
    }

    /// A time as nanoseconds since 1970.
    static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }

    /// When a file's contents, or (`changed`) its entry, last changed, in nanoseconds since 1970.
    static func nanoseconds(of st: stat, changed: Bool = false) -> Int64 {
        #if canImport(Darwin)
        nanoseconds(changed ? st.st_ctimespec : st.st_mtimespec)
        #else
        nanoseconds(changed ? st.st_ctim : st.st_mtim)
        #endif
    }
}
