/// Signs one write: every new event of every case it changed. The events first name their
/// parents, all at once; then each author's events are signed together, under one signature
/// over the Merkle root of their digests (a batch of thousands of cases is one ssh-keygen
/// call per author).
public enum Sealer {
    public static func seal(
        _ files: inout [CaseFile], fresh: Set<String>, key: (String) throws -> SigningKey,
        tool: SignatureTool
    ) throws {
        var byAuthor: [String: [(file: Int, index: Int, digest: String)]] = [:]
        for f in files.indices {
            for (index, digest) in files[f].nameParents(fresh: fresh) {
                byAuthor[files[f].events[index].by, default: []].append((f, index, digest))
            }
        }
        for author in byAuthor.keys.sorted() {
            let places = byAuthor[author]!
            let signer = try key(author)
            let (root, paths) = Digest.tree(places.map(\.digest))
            let sig = try tool.sign(EventCheck.message(root: root), with: signer)
            for (n, place) in places.enumerated() {
                files[place.file].setSeal(
                    place.index, Seal(key: signer.publicKey.fingerprint, sig: sig, path: paths[n]))
            }
        }
    }
}
