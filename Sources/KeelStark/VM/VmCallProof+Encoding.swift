import KeelCrypto
import KeelVM

extension VmCallProof {
    static let magic: [UInt8] = Array("KSVM".utf8)
    static let version: UInt8 = 1
    /// Bounds a decoder enforces before allocating: no program has more cells, and no proof of
    /// this system is larger.
    static let cellCountMax = 1 << 24
    static let starkByteCountMax = 16 << 20

    /// The status byte of spec/STARK.md §9.6.
    private static let statuses: [ExecutionStatus] = [
        .halted, .fault(.stepLimit), .fault(.memoryOutOfBounds), .fault(.jumpOutOfBounds), .fault(.frameOutOfBounds),
    ]

    /// The file format of spec/STARK.md §9.6.
    public func encoded() -> [UInt8] {
        var writer = ProofWriter()
        for byte in Self.magic + [Self.version] { writer.write(byte) }
        writer.write(programHash)
        writer.write(stepLimit)
        for values in [storage, input] {
            writer.writeCount(values.count)
            for value in values { writer.write(value) }
        }
        writer.write(UInt8(Self.statuses.firstIndex(of: result.status)!))
        writer.write(result.steps)
        writer.write(result.pc)
        for values in [result.storage, result.output] {
            writer.writeCount(values.count)
            for value in values { writer.write(value) }
        }
        switch evidence {
        case .stark(let bytes):
            writer.write(UInt8(0))
            writer.writeCount(bytes.count)
            for byte in bytes { writer.write(byte) }
        case .reexecute(let reason):
            writer.write(UInt8(1))
            let text = Array(reason.utf8.prefix(255))
            writer.write(UInt8(text.count))
            for byte in text { writer.write(byte) }
        }
        return writer.bytes
    }

    /// Decodes the file format strictly.
    ///
    /// - Throws: `StarkError.malformed` for anything but exactly one call proof.
    public init(decoding bytes: [UInt8]) throws(StarkError) {
        var reader = ProofReader(bytes)
        for expected in Self.magic + [Self.version] where try reader.readUInt8("header") != expected {
            throw .malformed("not a keel-stark-v1 VM call proof (magic or version)")
        }
        let programHash = try reader.readHash("program hash")
        let stepLimit = try reader.readUInt64("step limit")
        let storage = try Self.readValues(&reader, "storage")
        let input = try Self.readValues(&reader, "input")
        let statusIndex = Int(try reader.readUInt8("status"))
        guard statusIndex < Self.statuses.count else { throw .malformed("unknown status \(statusIndex)") }
        let steps = try reader.readUInt64("steps")
        let pc = try reader.readUInt32("pc")
        let finalStorage = try Self.readValues(&reader, "final storage")
        let output = try Self.readValues(&reader, "output")
        let evidence: Evidence
        switch try reader.readUInt8("evidence") {
        case 0:
            let count = try reader.readCount("proof length", maximum: Self.starkByteCountMax)
            evidence = .stark(try reader.readArray(count) { (r: inout ProofReader) throws(StarkError) in try r.readUInt8("proof") })
        case 1:
            let count = Int(try reader.readUInt8("reason length"))
            let text = try reader.readArray(count) { (r: inout ProofReader) throws(StarkError) in try r.readUInt8("reason") }
            guard let reason = String(validating: text, as: UTF8.self) else { throw .malformed("the reason is not UTF-8") }
            evidence = .reexecute(reason: reason)
        default:
            throw .malformed("unknown evidence kind")
        }
        try reader.finish()
        self.init(programHash: programHash, storage: storage, input: input, stepLimit: stepLimit,
                  result: ExecutionResult(status: Self.statuses[statusIndex], steps: steps, pc: pc, output: output, storage: finalStorage),
                  evidence: evidence)
    }

    private static func readValues(_ reader: inout ProofReader, _ what: String) throws(StarkError) -> [UInt32] {
        let count = try reader.readCount(what, maximum: cellCountMax)
        return try reader.readArray(count) { (r: inout ProofReader) throws(StarkError) in
            let value = try r.readUInt32(what)
            guard value < Fp.modulus else { throw .malformed("\(what): a value is not below p") }
            return value
        }
    }
}
