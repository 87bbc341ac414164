/// A toy logUp lookup (eprint 2022/1530): every value of column `v` lies in the table column
/// `t = 0, 1, …, N−1`, with `m` counting how often each table entry is used.
///
/// Aux columns: `h = 1/(γ − v) − m/(γ − t)` per row and its running sum `s`, which must end at
/// zero. This exercises the aux phase, extension constraints and degree 3.
public struct RangeLookupAir: Air {
    public init() {}

    public var mainWidth: Int { 3 }
    public var auxWidth: Int { 2 }
    public var challengeCount: Int { 1 }
    public var maxConstraintDegree: Int { 3 }
    public var logTraceLengthRange: ClosedRange<Int> { 2...21 }
    /// Two fractions per row.
    public var challengeSoundnessFactor: Int { 2 }
    public var binding: [UInt8] { Array("range-lookup".utf8) }

    public func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        typealias Ext = Builder.ExtensionValue
        let value = builder.main(0), table = builder.main(1), multiplicity = builder.main(2)
        let gamma = builder.challenge(0)
        let valueDenominator = gamma - Ext(base: value)
        let tableDenominator = gamma - Ext(base: table)
        let helper = builder.aux(0), sum = builder.aux(1)
        builder.assertZero(table, on: .firstRow)
        builder.assertZero(builder.mainNext(1) - table - .one, on: .transition)
        builder.assertZeroExtension(
            helper * valueDenominator * tableDenominator - (tableDenominator - valueDenominator * multiplicity), on: .all)
        builder.assertZeroExtension(sum - helper, on: .firstRow)
        builder.assertZeroExtension(builder.auxNext(1) - sum - builder.auxNext(0), on: .transition)
        builder.assertZeroExtension(sum, on: .lastRow)
    }

    public func buildAuxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] {
        let gamma = challenges[0]
        let rows = main[0].count
        let valueInverses = BatchInversion.invert(main[0].map { gamma - Fp4($0) })
        let tableInverses = BatchInversion.invert(main[1].map { gamma - Fp4($0) })
        var helper = [Fp4](repeating: .zero, count: rows), sum = helper
        var running = Fp4.zero
        for row in 0..<rows {
            helper[row] = valueInverses[row] - tableInverses[row] * main[2][row]
            running += helper[row]
            sum[row] = running
        }
        return [helper, sum]
    }

    /// The main trace that looks up `values` (one per row; a power-of-two count).
    public static func trace(values: [UInt32]) -> [[Fp]] {
        let rows = values.count
        var multiplicities = [UInt64](repeating: 0, count: rows)
        for value in values where Int(value) < rows { multiplicities[Int(value)] += 1 }
        return [values.map { Fp(UInt64($0)) }, (0..<rows).map { Fp(UInt64($0)) }, multiplicities.map { Fp($0) }]
    }
}
