import KeelCrypto

/// A `keel-stark-v1` proof (spec/STARK.md §6–§8), decoded. It says nothing until
/// `StarkVerifier` has checked it against a statement.
public struct StarkProof: Hashable, Sendable {
    /// `log2 N`, the trace length the prover chose.
    public var logTraceLength: Int
    public var mainRoot: Hash32
    /// Present exactly when the AIR has aux columns.
    public var auxRoot: Hash32?
    public var quotientRoot: Hash32
    public var mainGrindNonce: UInt64
    /// Every main then aux base column at `ζ`.
    public var outOfDomainLocal: [Fp4]
    /// The same columns at `ζω`.
    public var outOfDomainNext: [Fp4]
    /// The `4q` quotient base columns at `ζ`.
    public var outOfDomainQuotient: [Fp4]
    public var friRounds: [FriRoundCommitment]
    /// The final polynomial's coefficients, lowest first.
    public var finalPolynomial: [Fp4]
    public var queryGrindNonce: UInt64
    /// Main, [aux,] quotient: the rows at the distinct query positions, ascending.
    public var traceOpenings: [MatrixOpening]
    /// One per FRI round: the cosets at the distinct folded positions, ascending.
    public var friOpenings: [FriRoundOpening]

    /// The format version this code writes and reads.
    public static let version: UInt8 = 1
}

/// A FRI round's commitment and the grinding nonce that follows it.
public struct FriRoundCommitment: Hashable, Sendable {
    public var root: Hash32
    public var grindNonce: UInt64

    public init(root: Hash32, grindNonce: UInt64) {
        self.root = root
        self.grindNonce = grindNonce
    }
}

/// A pruned batch opening of a trace matrix (spec §3).
public struct MatrixOpening: Hashable, Sendable {
    public var rows: [[Fp]]
    public var siblings: [Hash32]

    public init(rows: [[Fp]], siblings: [Hash32]) {
        self.rows = rows
        self.siblings = siblings
    }
}

/// A pruned batch opening of a FRI round's cosets.
public struct FriRoundOpening: Hashable, Sendable {
    public var cosets: [[Fp4]]
    public var siblings: [Hash32]

    public init(cosets: [[Fp4]], siblings: [Hash32]) {
        self.cosets = cosets
        self.siblings = siblings
    }
}
