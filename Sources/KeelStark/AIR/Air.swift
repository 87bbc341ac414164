/// An algebraic intermediate representation (spec/STARK.md §5): the columns of an execution
/// trace and the polynomial constraints that every valid trace satisfies.
///
/// One value of a conforming type is one statement: it carries its public inputs, which the
/// constraints read as constants and `binding` names for the transcript.
public protocol Air: Sendable {
    /// Base-field columns of the main trace.
    var mainWidth: Int { get }
    /// Extension-field columns built after the main commitment (0 for none).
    var auxWidth: Int { get }
    /// Extension challenges drawn after the main commitment, for the aux trace.
    var challengeCount: Int { get }
    /// The largest constraint degree in the trace columns, selectors not counted (at most 3).
    var maxConstraintDegree: Int { get }
    /// The bytes that name this AIR and its public inputs; absorbed before any commitment.
    var binding: [UInt8] { get }
    /// The smallest and largest `log2 N` this AIR accepts.
    var logTraceLengthRange: ClosedRange<Int> { get }
    /// A bound `B` on the probability, times `|E|`, that the aux challenges make a bad main
    /// trace pass (for logUp: the number of fractions summed per row times the largest
    /// fingerprint degree); 0 when the AIR has no aux trace. Feeds the security report.
    var challengeSoundnessFactor: Int { get }

    /// States every constraint, in a fixed order, to `builder`.
    func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder)

    /// Why this statement can never be true (a status rule broken), or `nil`. The verifier
    /// rejects such a statement before reading the proof.
    var statementProblem: String? { get }

    /// Extension constants the constraints read through `auxPublic`, computed once per proof
    /// from the challenges and the statement (the public part of a logUp sum).
    func auxPublicValues(challenges: [Fp4], logTraceLength: Int) -> [Fp4]

    /// Whether the out-of-domain values of the columns whose content the verifier knows (a
    /// program table) are right: `local` holds every main column's claimed value at `zeta`.
    func checkPublicColumns(local: [Fp4], zeta: Fp4, logTraceLength: Int) -> Bool

    /// The aux trace (column-major, `auxWidth` columns of `N` values) for a main trace
    /// (column-major) and the challenges. Called by the prover only.
    func buildAuxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]]
}

extension Air {
    public var auxWidth: Int { 0 }
    public var challengeCount: Int { 0 }
    public var challengeSoundnessFactor: Int { 0 }
    public func buildAuxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] { [] }
    public func checkPublicColumns(local: [Fp4], zeta: Fp4, logTraceLength: Int) -> Bool { true }
    public var statementProblem: String? { nil }
    public func auxPublicValues(challenges: [Fp4], logTraceLength: Int) -> [Fp4] { [] }
}

/// The rows on which a constraint must vanish (spec §5).
public enum RowSet: Int, Hashable, Sendable, CaseIterable {
    case all
    /// Every row but the last: constraints between a row and the next.
    case transition
    case firstRow
    case lastRow
}

/// What an AIR's constraints are stated to: the prover's folder over a trace point, the
/// verifier's folder at the out-of-domain point, the debug checker over a trace row.
public protocol ConstraintBuilder {
    /// Values of base columns: `Fp` for the prover, `Fp4` at the out-of-domain point.
    associatedtype Value: FieldAlgebra
    /// Values of extension columns and challenges.
    associatedtype ExtensionValue: ExtensionAlgebra where ExtensionValue.Base == Value

    func main(_ column: Int) -> Value
    func mainNext(_ column: Int) -> Value
    func aux(_ column: Int) -> ExtensionValue
    func auxNext(_ column: Int) -> ExtensionValue
    func challenge(_ index: Int) -> ExtensionValue
    /// Public aux value `index` (`Air.auxPublicValues`).
    func auxPublic(_ index: Int) -> ExtensionValue

    /// States a base constraint: `value` vanishes on `rows`.
    mutating func assertZero(_ value: Value, on rows: RowSet)
    /// States an extension constraint.
    mutating func assertZeroExtension(_ value: ExtensionValue, on rows: RowSet)
}

/// Extension values as constraints see them: an algebra over the builder's base values.
public protocol ExtensionAlgebra: FieldAlgebra {
    associatedtype Base: FieldAlgebra
    /// Embeds a base value.
    init(base: Base)
    /// Embeds an extension constant.
    init(constant: Fp4)
    static func * (a: Self, b: Base) -> Self
}

extension Fp4: ExtensionAlgebra {
    public typealias Base = Fp
    @inlinable @inline(__always)
    public init(base: Fp) { self.init(base) }
    @inlinable @inline(__always)
    public init(constant: Fp4) { self = constant }
}
