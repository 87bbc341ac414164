/// The logUp buses of spec/STARK.md §9.4, their aux trace and their constraints. Challenges:
/// `γ` (index 0), `β` (index 1); public aux value 0 is `P_pub`.
enum VmBuses {
    static let memoryTag = Fp(1)
    static let programTag = Fp(2)
    static let rangeTag = Fp(3)

    /// One fraction `numerator / (γ − ⟨tag, fields⟩)` over a row's values.
    struct Fraction<V> {
        let numerator: V
        let tag: Fp
        let fields: [V]
    }

    /// How many fractions each helper column sums (§9.4).
    static let helperSizes = [2, 2, 2, 1, 2, 2, 2, 2, 2, 2]
    static var helperCount: Int { helperSizes.count }
    static var fractionsPerRow: Int { helperSizes.reduce(0, +) }

    /// `⟨tag, fields⟩ = tag + Σ β^i·fields_i`.
    static func fingerprint<E: ExtensionAlgebra>(tag: Fp, fields: [E.Base], beta: E) -> E {
        var result = E(base: E.Base(tag))
        var power = beta
        for field in fields {
            result = result + power * field
            power = power * beta
        }
        return result
    }

    /// `γ − ⟨1, a, τ, v, W⟩` of a public memory entry.
    static func memoryDenominator(_ entry: VmStatement.MemoryEntry, gamma: Fp4, beta: Fp4) -> Fp4 {
        let fields = [Fp(UInt64(entry.address)), Fp(UInt64(entry.time)), Fp(UInt64(entry.value)), entry.write ? Fp.one : .zero]
        return gamma - fingerprint(tag: memoryTag, fields: fields, beta: beta)
    }

    /// Every helper's fractions, from a row's main values (`x` reads a column).
    static func fractions<V: FieldAlgebra>(_ x: (Int) -> V) -> [[Fraction<V>]] {
        func c(_ column: VmColumn) -> V { x(column.rawValue) }
        func constant(_ value: UInt64) -> V { V(Fp(value)) }
        let one = V.one
        let word = c(.isAdd) + constant(2) * c(.isMul) + constant(4) * c(.isLoad) + constant(8) * c(.isStore) + constant(16) * c(.isJump)
            + constant(32) * (c(.reg1) + constant(2) * c(.fpo1)) + constant(128) * (c(.reg2) + constant(2) * c(.fpo2))
            + constant(512) * (c(.reg3) + constant(2) * c(.fpo3)) + constant(UInt64(VmProgramTable.realRowMarker))
        func range(_ column: Int) -> Fraction<V> { Fraction(numerator: one, tag: rangeTag, fields: [x(column)]) }
        func lane(_ lane: Int) -> Fraction<V> {
            func f(_ field: MemoryLaneField) -> V { x(field.column(lane: lane)) }
            return Fraction(numerator: -f(.active), tag: memoryTag, fields: [f(.address), f(.time), f(.value), f(.write)])
        }
        let jumpGate = one - c(.isJump) + c(.taken)
        let late = c(.isStore) + c(.isJump)
        let step = constant(3) * c(.row)
        let slotA = Fraction(numerator: c(.reg1), tag: memoryTag,
                             fields: [c(.fp) + c(.o1), step + constant(3) - constant(2) * late, c(.valueA), c(.isAdd) + c(.isMul) + c(.isLoad)])
        let slotB = Fraction(numerator: c(.reg2) * jumpGate + c(.isStore), tag: memoryTag,
                             fields: [c(.addressB), step + one + constant(2) * late, c(.valueB), c(.isStore)])
        let slotC = Fraction(numerator: c(.reg3) * jumpGate + c(.isLoad), tag: memoryTag,
                             fields: [c(.addressC), step + constant(2), c(.valueC), .zero])
        return [
            [Fraction(numerator: one - c(.frozen), tag: programTag, fields: [c(.pc), word, c(.o1), c(.o2), c(.o3)]),
             Fraction(numerator: -c(.programMultiplicity), tag: programTag,
                      fields: [c(.row), c(.programWord), c(.program1), c(.program2), c(.program3)])],
            [range(VmColumn.limbLow1.rawValue), range(VmColumn.limbHigh1.rawValue)],
            [range(VmColumn.limbLow2.rawValue), range(VmColumn.limbHigh2.rawValue)],
            [Fraction(numerator: -c(.rangeMultiplicity), tag: rangeTag, fields: [c(.range)])],
            [slotA, slotB],
            [slotC, lane(0)],
            [lane(1), lane(2)],
        ] + (0..<3).map { [range(MemoryLaneField.gapLow.column(lane: $0)), range(MemoryLaneField.gapHigh.column(lane: $0))] }
    }

    static func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        typealias Ext = Builder.ExtensionValue
        let gamma = builder.challenge(0), beta = builder.challenge(1)
        func denominator(_ fraction: Fraction<Builder.Value>) -> Ext {
            gamma - fingerprint(tag: fraction.tag, fields: fraction.fields, beta: beta)
        }
        for (index, helper) in fractions({ builder.main($0) }).enumerated() {
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
        builder.assertZeroExtension(sum + builder.auxPublic(0), on: .lastRow)
    }

    /// The helper columns and the running sum for a main trace.
    static func auxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] {
        let gamma = challenges[0], beta = challenges[1]
        let rowCount = main[0].count
        let perRow = fractionsPerRow
        var denominators = [Fp4](repeating: .zero, count: rowCount * perRow)
        var numerators = [Fp](repeating: .zero, count: rowCount * perRow)
        for row in 0..<rowCount {
            var slot = row * perRow
            for helper in fractions({ main[$0][row] }) {
                for fraction in helper {
                    denominators[slot] = gamma - fingerprint(tag: fraction.tag, fields: fraction.fields, beta: beta)
                    numerators[slot] = fraction.numerator
                    slot += 1
                }
            }
        }
        let inverses = BatchInversion.invert(denominators)
        var columns = [[Fp4]](repeating: [Fp4](repeating: .zero, count: rowCount), count: helperCount + 1)
        var running = Fp4.zero
        for row in 0..<rowCount {
            var slot = row * perRow
            for (helper, size) in helperSizes.enumerated() {
                var value = Fp4.zero
                for _ in 0..<size {
                    value += inverses[slot] * numerators[slot]
                    slot += 1
                }
                columns[helper][row] = value
                running += value
            }
            columns[helperCount][row] = running
        }
        return columns
    }
}
