/// Signs one write: every new event of every case it changed, under one signature over the
/// Merkle root of their digests (a batch of thousands of cases makes one ssh-keygen call).
public enum Sealer {
    public static func seal(_ files: inout [CaseFile], fresh: Set<String>, key: SigningKey, tool: SignatureTool) throws {
        var places: [(file: Int, index: Int)] = []
        var leaves: [String] = []
        for f in files.indices {
            for (index, digest) in files[f].nameParents(fresh: fresh) {
                places.append((f, index))
                leaves.append(digest)
            }
        }
        guard !leaves.isEmpty else { return }
        let (root, paths) = Digest.tree(leaves)
        let sig = try tool.sign(EventCheck.message(root: root), with: key)
        for (n, place) in places.enumerated() {
            files[place.file].setSeal(place.index, Seal(key: key.publicKey.fingerprint, sig: sig, path: paths[n]))
        }
    }
}
