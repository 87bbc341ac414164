/// The main columns of the VM AIR (spec/STARK.md §9.2), in commitment order.
enum VmColumn: Int, CaseIterable {
    case row, pc, fp, frozen
    case isAdd, isMul, isLoad, isStore, isJump
    case reg1, fpo1, reg2, fpo2, reg3, fpo3
    case o1, o2, o3
    case addressB, addressC
    case valueA, valueB, valueC
    case operand1, operand2, operand3
    case taken, conditionInverse
    case limbLow1, limbHigh1, limbLow2, limbHigh2
    case programWord, program1, program2, program3, programMultiplicity
    case range, rangeMultiplicity

    /// The program table's columns, which the verifier interpolates itself (§9.5).
    static let publicProgram: [VmColumn] = [.programWord, .program1, .program2, .program3]
}
