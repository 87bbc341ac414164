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
    case lane0Address, lane0Time, lane0Value, lane0Write, lane0Active, lane0Same, lane0GapLow, lane0GapHigh
    case lane1Address, lane1Time, lane1Value, lane1Write, lane1Active, lane1Same, lane1GapLow, lane1GapHigh
    case lane2Address, lane2Time, lane2Value, lane2Write, lane2Active, lane2Same, lane2GapLow, lane2GapHigh

    /// The program table's columns, which the verifier interpolates itself (§9.5).
    static let publicProgram: [VmColumn] = [.programWord, .program1, .program2, .program3]
}

/// The eight columns of one memory-table lane (§9.2).
enum MemoryLaneField: Int, CaseIterable {
    case address, time, value, write, active, same, gapLow, gapHigh

    /// The main column of this field in lane `lane` (0, 1 or 2).
    func column(lane: Int) -> Int {
        precondition((0..<3).contains(lane), "three lanes")
        return VmColumn.lane0Address.rawValue + MemoryLaneField.allCases.count * lane + rawValue
    }
}
