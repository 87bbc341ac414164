/// States an AIR's constraints at the out-of-domain point `ζ` from the proof's claimed column
/// values there (the verifier's side of spec/STARK.md §6).
struct OutOfDomainFolder: ConstraintBuilder {
    typealias Value = Fp4
    typealias ExtensionValue = OutOfDomainValue

    let mainLocal: [Fp4]
    let mainNextRow: [Fp4]
    let auxLocal: [Fp4]
    let auxNextRow: [Fp4]
    let challenges: [Fp4]
    let auxPublicValues: [Fp4]
    var accumulator: ConstraintAccumulator

    func main(_ column: Int) -> Fp4 { mainLocal[column] }
    func mainNext(_ column: Int) -> Fp4 { mainNextRow[column] }
    func aux(_ column: Int) -> OutOfDomainValue { OutOfDomainValue(value: auxLocal[column]) }
    func auxNext(_ column: Int) -> OutOfDomainValue { OutOfDomainValue(value: auxNextRow[column]) }
    func challenge(_ index: Int) -> OutOfDomainValue { OutOfDomainValue(value: challenges[index]) }
    func auxPublic(_ index: Int) -> OutOfDomainValue { OutOfDomainValue(value: auxPublicValues[index]) }

    mutating func assertZero(_ value: Fp4, on rows: RowSet) { accumulator.add(value, on: rows) }
    mutating func assertZeroExtension(_ value: OutOfDomainValue, on rows: RowSet) {
        accumulator.add(value.value, on: rows)
    }
}
