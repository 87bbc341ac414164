/// A trace matrix committed by the prover (spec/STARK.md §3): its columns' values on the LDE
/// domain in natural order, and the Merkle tree whose leaf `j` is the row at `rev(j)`.
struct CommittedMatrix {
    let columns: [[Fp]]
    let tree: MerkleCommitment
    private let logSize: Int

    init(ldeColumns: [[Fp]], logSize: Int) {
        precondition(!ldeColumns.isEmpty, "a committed matrix has a column")
        precondition(ldeColumns.allSatisfy { $0.count == 1 << logSize }, "every column covers the LDE domain")
        columns = ldeColumns
        self.logSize = logSize
        tree = MerkleCommitment(leafCount: 1 << logSize) { leaf in
            let row = BitReversal.reverse(leaf, bits: logSize)
            return ldeColumns.map { $0[row] }
        }
    }

    /// The row held by leaf `position`.
    func row(atLeaf position: Int) -> [Fp] {
        let natural = BitReversal.reverse(position, bits: logSize)
        return columns.map { $0[natural] }
    }

    /// The pruned opening of `positions` (sorted, distinct leaf positions).
    func opening(_ positions: [Int]) -> MatrixOpening {
        MatrixOpening(rows: positions.map(row(atLeaf:)), siblings: tree.siblings(opening: positions))
    }
}
