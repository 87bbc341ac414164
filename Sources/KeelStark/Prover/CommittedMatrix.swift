/// A trace matrix committed by the prover (spec/STARK.md §3): its columns' values on the LDE
/// domain in natural order, and the Merkle tree whose leaf `j` is row `j`.
struct CommittedMatrix {
    let columns: [[Fp]]
    let tree: MerkleCommitment
    private let logSize: Int

    init(ldeColumns: [[Fp]], logSize: Int) {
        precondition(!ldeColumns.isEmpty, "a committed matrix has a column")
        precondition(ldeColumns.allSatisfy { $0.count == 1 << logSize }, "every column covers the LDE domain")
        columns = ldeColumns
        self.logSize = logSize
        tree = MerkleCommitment(naturalOrderColumns: ldeColumns, logSize: logSize)
    }

    /// The pruned opening of the rows at FRI positions `positions`: rows `rev(i)`, ascending.
    func opening(_ positions: [Int]) -> MatrixOpening {
        let rows = positions.map { BitReversal.reverse($0, bits: logSize) }.sorted()
        return MatrixOpening(rows: rows.map { row in columns.map { $0[row] } }, siblings: tree.siblings(opening: rows))
    }
}
