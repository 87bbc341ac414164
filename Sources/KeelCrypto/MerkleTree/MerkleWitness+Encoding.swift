extension MerkleWitness {
    /// Node tags of the encoding described at ``MerkleWitness``.
    private enum Tag {
        static let empty: UInt8 = 0x00
        static let leaf: UInt8 = 0x01
        static let pruned: UInt8 = 0x02
        static let branch: UInt8 = 0x03
    }

    /// The canonical byte encoding: the nodes in pre-order, see ``MerkleWitness``.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(nodes.count * 65)
        for node in nodes {
            switch node {
            case .empty:
                bytes.append(Tag.empty)
            case .leaf(let key, let valueHash):
                bytes.append(Tag.leaf)
                bytes.appendMerkleHash(key)
                bytes.appendMerkleHash(valueHash)
            case .pruned(let leftHash, let rightHash):
                bytes.append(Tag.pruned)
                bytes.appendMerkleHash(leftHash)
                bytes.appendMerkleHash(rightHash)
            case .branch:
                bytes.append(Tag.branch)
            }
        }
        precondition(bytes.count >= nodes.count, "every node has a tag byte")
        return bytes
    }

    /// Decodes the canonical encoding described at ``MerkleWitness``.
    ///
    /// Decoding is a loop with an explicit stack of open branches (at most 256 deep), so hostile
    /// input cannot exhaust the call stack. It checks form only; ``partialTree(root:)`` checks
    /// the content against a root.
    ///
    /// - Parameter bytes: Exactly one encoded witness, possibly from an untrusted peer.
    /// - Throws: ``MerkleWitnessError`` with the byte offset: truncation, trailing bytes, an
    ///   unknown tag, or a branch at depth 256.
    public init(decoding bytes: some Collection<UInt8>) throws(MerkleWitnessError) {
        var reader = MerkleByteReader(Array(bytes))
        var nodes: [Node] = []
        // Children still due for each open branch, outermost first; its count is the depth.
        var childrenDue: [Int] = []
        repeat {
            let offset = reader.offset
            let node = try Self.decodeNode(from: &reader)
            nodes.append(node)
            if case .branch = node {
                guard childrenDue.count < SparseMerkleTree.depthMax else {
                    throw .branchTooDeep(offset: offset)
                }
                childrenDue.append(2)
                continue
            }
            if case .pruned = node, childrenDue.count >= SparseMerkleTree.depthMax {
                throw .branchTooDeep(offset: offset)
            }
            // A finished node completes its parent's child; a parent with both children done is
            // itself finished, and so on up.
            while let due = childrenDue.last {
                precondition(due == 1 || due == 2, "a branch has two children")
                if due == 2 {
                    childrenDue[childrenDue.count - 1] = 1
                    break
                }
                childrenDue.removeLast()
            }
        } while !childrenDue.isEmpty
        guard reader.remaining == 0 else {
            throw .trailingBytes(offset: reader.offset, count: reader.remaining)
        }
        self.init(nodes: nodes)
    }

    /// Reads one node's tag and payload.
    private static func decodeNode(from reader: inout MerkleByteReader) throws(MerkleWitnessError) -> Node {
        let offset = reader.offset
        guard let tag = reader.byte() else {
            throw .truncated(offset: offset, needed: 1)
        }
        switch tag {
        case Tag.empty:
            return .empty
        case Tag.branch:
            return .branch
        case Tag.leaf, Tag.pruned:
            guard let first = reader.hash(), let second = reader.hash() else {
                throw .truncated(offset: offset + 1, needed: 2 * Hash32.byteCount)
            }
            return tag == Tag.leaf ? .leaf(key: first, valueHash: second) : .pruned(leftHash: first, rightHash: second)
        default:
            throw .badNodeTag(offset: offset, tag: tag)
        }
    }
}
