import KeelCrypto

extension StarkProof {
    /// The bytes of spec/STARK.md §8.
    public func encoded() -> [UInt8] {
        var writer = ProofWriter()
        writer.write(StarkProof.version)
        writer.write(UInt8(truncatingIfNeeded: logTraceLength))
        writer.write(mainRoot)
        if let auxRoot { writer.write(auxRoot) }
        writer.write(quotientRoot)
        writer.write(mainGrindNonce)
        for value in outOfDomainLocal + outOfDomainNext + outOfDomainQuotient { writer.write(value) }
        writer.write(UInt8(truncatingIfNeeded: friRounds.count))
        for round in friRounds {
            writer.write(round.root)
            writer.write(round.grindNonce)
        }
        for coefficient in finalPolynomial { writer.write(coefficient) }
        writer.write(queryGrindNonce)
        for opening in traceOpenings {
            writer.writeCount(opening.rows.count)
            for row in opening.rows { for value in row { writer.write(value) } }
            writer.writeCount(opening.siblings.count)
            for sibling in opening.siblings { writer.write(sibling) }
        }
        for opening in friOpenings {
            writer.writeCount(opening.cosets.count)
            for coset in opening.cosets { for value in coset { writer.write(value) } }
            writer.writeCount(opening.siblings.count)
            for sibling in opening.siblings { writer.write(sibling) }
        }
        return writer.bytes
    }

    /// Decodes `bytes` strictly against `shape`.
    ///
    /// - Throws: `StarkError.malformed` for anything but exactly one proof of that shape.
    public init(decoding bytes: [UInt8], shape: StarkProofShape) throws(StarkError) {
        var reader = ProofReader(bytes)
        guard try reader.readUInt8("version") == StarkProof.version else { throw .malformed("unknown version") }
        let logN = Int(try reader.readUInt8("trace length"))
        guard shape.allows(logTraceLength: logN) else {
            throw .malformed("trace length 2^\(logN) outside 2^\(shape.logTraceLengthLeast)...2^\(shape.logTraceLengthGreatest)")
        }
        let parameters = shape.parameters
        let fri = FriLayout(logDegreeBound: logN, parameters: parameters)
        logTraceLength = logN
        mainRoot = try reader.readHash("main root")
        auxRoot = shape.auxBaseWidth > 0 ? try reader.readHash("aux root") : nil
        quotientRoot = try reader.readHash("quotient root")
        mainGrindNonce = try reader.readUInt64("main nonce")
        let committed = shape.mainWidth + shape.auxBaseWidth
        outOfDomainLocal = try reader.readArray(committed) { (r: inout ProofReader) throws(StarkError) in try r.readExtension("OOD values") }
        outOfDomainNext = try reader.readArray(committed) { (r: inout ProofReader) throws(StarkError) in try r.readExtension("OOD values") }
        outOfDomainQuotient = try reader.readArray(shape.quotientWidth) { (r: inout ProofReader) throws(StarkError) in try r.readExtension("OOD values") }
        guard Int(try reader.readUInt8("FRI round count")) == fri.roundCount else { throw .malformed("wrong FRI round count") }
        friRounds = try reader.readArray(fri.roundCount) { (r: inout ProofReader) throws(StarkError) in
            FriRoundCommitment(root: try r.readHash("FRI root"), grindNonce: try r.readUInt64("FRI nonce"))
        }
        finalPolynomial = try reader.readArray(1 << fri.logFinalDegree) { (r: inout ProofReader) throws(StarkError) in try r.readExtension("final polynomial") }
        queryGrindNonce = try reader.readUInt64("query nonce")
        let traceDepth = logN + parameters.logBlowup
        traceOpenings = try shape.matrixWidths.map { (width: Int) throws(StarkError) -> MatrixOpening in
            let rows = try reader.readArray(try reader.readCount("opened rows", maximum: parameters.queryCount)) {
                (r: inout ProofReader) throws(StarkError) in
                try r.readArray(width) { (e: inout ProofReader) throws(StarkError) in try e.readBase("opened row") }
            }
            let siblings = try Self.readSiblings(&reader, maximum: parameters.queryCount * traceDepth)
            return MatrixOpening(rows: rows, siblings: siblings)
        }
        friOpenings = try (0..<fri.roundCount).map { (round: Int) throws(StarkError) -> FriRoundOpening in
            let arity = 1 << fri.logArities[round]
            let cosets = try reader.readArray(try reader.readCount("opened cosets", maximum: parameters.queryCount)) {
                (r: inout ProofReader) throws(StarkError) in
                try r.readArray(arity) { (e: inout ProofReader) throws(StarkError) in try e.readExtension("opened coset") }
            }
            let siblings = try Self.readSiblings(&reader, maximum: parameters.queryCount * fri.treeDepth(round: round))
            return FriRoundOpening(cosets: cosets, siblings: siblings)
        }
        try reader.finish()
    }

    private static func readSiblings(_ reader: inout ProofReader, maximum: Int) throws(StarkError) -> [Hash32] {
        let count = try reader.readCount("sibling hashes", maximum: maximum)
        return try reader.readArray(count) { (r: inout ProofReader) throws(StarkError) in try r.readHash("sibling hash") }
    }
}
