/// The logUp buses of spec/STARK.md §9.4 (stage 2: program and range), their aux trace and
/// their constraints. Challenges: `γ` (index 0), `β` (index 1).
enum VmBuses {
    static let helperCount = 4
    static let fractionsPerRow = 7
    static let programTag = Fp(2)
    static let rangeTag = Fp(3)

    /// One fraction `numerator / (γ − ⟨tag, fields⟩)` over a row's values.
    struct Fraction<V> {
        let numerator: V
        let tag: Fp
        let fields: [V]
    }

    /// The fractions of each helper, from a row's main values (`x` reads a column).
    static func fractions<V: FieldAlgebra>(_ x: (VmColumn) -> V) -> [[Fraction<V>]] {
        let one = V.one
        let word = x(.isAdd) + V(Fp(2)) * x(.isMul) + V(Fp(4)) * x(.isLoad) + V(Fp(8)) * x(.isStore) + V(Fp(16)) * x(.isJump)
            + V(Fp(32)) * (x(.reg1) + V(Fp(2)) * x(.fpo1)) + V(Fp(128)) * (x(.reg2) + V(Fp(2)) * x(.fpo2))
            + V(Fp(512)) * (x(.reg3) + V(Fp(2)) * x(.fpo3)) + V(Fp(UInt64(VmProgramTable.realRowMarker)))
        return [
            [Fraction(numerator: one - x(.frozen), tag: programTag, fields: [x(.pc), word, x(.o1), x(.o2), x(.o3)]),
             Fraction(numerator: -x(.programMultiplicity), tag: programTag,
                      fields: [x(.row), x(.programWord), x(.program1), x(.program2), x(.program3)])],
            [Fraction(numerator: one, tag: rangeTag, fields: [x(.limbLow1)]), Fraction(numerator: one, tag: rangeTag, fields: [x(.limbHigh1)])],
            [Fraction(numerator: one, tag: rangeTag, fields: [x(.limbLow2)]), Fraction(numerator: one, tag: rangeTag, fields: [x(.limbHigh2)])],
            [Fraction(numerator: -x(.rangeMultiplicity), tag: rangeTag, fields: [x(.range)])],
        ]
    }

    static func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        typealias Ext = Builder.ExtensionValue
        let gamma = builder.challenge(0), beta = builder.challenge(1)
        func x(_ column: VmColumn) -> Builder.Value { builder.main(column.rawValue) }
        func denominator(_ fraction: Fraction<Builder.Value>) -> Ext {
            var fingerprint = Ext(base: Builder.Value(fraction.tag))
            var power = beta
            for field in fraction.fields {
                fingerprint = fingerprint + power * field
                power = power * beta
            }
            return gamma - fingerprint
        }
        for (index, helper) in fractions(x).enumerated() {
            let value = builder.aux(index)
            if helper.count == 2 {
                let first = denominator(helper[0]), second = denominator(helper[1])
                builder.assertZeroExtension(value * first * second - (second * helper[0].numerator + first * helper[1].numerator), on: .all)
            } else {
                builder.assertZeroExtension(value * denominator(helper[0]) - Ext(base: helper[0].numerator), on: .all)
            }
        }
        let sum = builder.aux(helperCount)
        let helpers = (0..<helperCount).map { builder.aux($0) }.reduce(Ext.zero, +)
        let nextHelpers = (0..<helperCount).map { builder.auxNext($0) }.reduce(Ext.zero, +)
        builder.assertZeroExtension(sum - helpers, on: .firstRow)
        builder.assertZeroExtension(builder.auxNext(helperCount) - sum - nextHelpers, on: .transition)
        builder.assertZeroExtension(sum, on: .lastRow)
    }

    /// The helper columns and the running sum for a main trace.
    static func auxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] {
        let gamma = challenges[0], beta = challenges[1]
        let rowCount = main[0].count
        var columns = [[Fp4]](repeating: [Fp4](repeating: .zero, count: rowCount), count: helperCount + 1)
        var denominators: [[Fp4]] = []
        var numerators: [[Fp]] = []
        for row in 0..<rowCount {
            for helper in fractions({ main[$0.rawValue][row] }) {
                for fraction in helper {
                    var fingerprint = Fp4(fraction.tag)
                    var power = beta
                    for field in fraction.fields {
                        fingerprint += power * field
                        power *= beta
                    }
                    if denominators.count <= row { denominators.append([]); numerators.append([]) }
                    denominators[row].append(gamma - fingerprint)
                    numerators[row].append(fraction.numerator)
                }
            }
        }
        let inverses = BatchInversion.invert(denominators.flatMap { $0 })
        let perRow = fractionsPerRow
        var running = Fp4.zero
        let helperSizes = [2, 2, 2, 1]
        for row in 0..<rowCount {
            var offset = 0
            for (helper, size) in helperSizes.enumerated() {
                var value = Fp4.zero
                for slot in offset..<(offset + size) { value += inverses[row * perRow + slot] * numerators[row][slot] }
                columns[helper][row] = value
                running += value
                offset += size
            }
            columns[helperCount][row] = running
        }
        return columns
    }
}
