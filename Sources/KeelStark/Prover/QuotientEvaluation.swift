/// The composition polynomial `Q` of spec/STARK.md §5 on the quotient domain `s·⟨ω_{qN}⟩`,
/// pointwise from the LDE columns, and its split into `q` chunks of degree `< N`.
enum QuotientEvaluation {
    /// `Q` at every point of the quotient domain, natural order.
    static func values<A: Air>(
        _ air: A, main: [[Fp]], aux: [[Fp]], challenges: [Fp4], alpha: Fp4,
        logTraceLength: Int, logBlowup: Int, chunkCount: Int, masked: Set<Int>
    ) -> [Fp4] {
        let logChunks = chunkCount.trailingZeroBitCount
        precondition(logChunks <= logBlowup, "the quotient domain lies inside the LDE domain")
        let domain = TwoAdicCoset(logSize: logTraceLength + logChunks, shift: .generator)
        let ldeMask = (1 << (logTraceLength + logBlowup)) - 1
        let auxPublicValues = air.auxPublicValues(challenges: challenges, logTraceLength: logTraceLength)
        let stride = 1 << (logBlowup - logChunks)
        let nextOffset = 1 << logBlowup
        let points = domain.elements()
        let omegaInverse = Fp.twoAdicGenerator(logSize: logTraceLength).inverse()
        let firstRowInverses = BatchInversion.invert(points.map { $0 - .one })
        let lastRowInverses = BatchInversion.invert(points.map { $0 - omegaInverse })
        let shiftToN = domain.shift.power(UInt64(1) << UInt64(logTraceLength))
        let chunkGenerator = Fp.twoAdicGenerator(logSize: logChunks)
        let vanishingInverses = BatchInversion.invert((0..<chunkCount).map { shiftToN * chunkGenerator.power(UInt64($0)) - .one })
        var result = [Fp4](repeating: .zero, count: domain.size)
        result.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableBufferPointerBox(buffer)
            Parallel.forRanges(domain.size) { range in
                var folder = TraceWindowFolder(
                    mainWidth: air.mainWidth, auxWidth: air.auxWidth, challenges: challenges,
                    auxPublicValues: auxPublicValues, mode: .accumulate, accumulator: ConstraintAccumulator(alpha: alpha, masked: masked))
                for point in range {
                    let row = point * stride
                    let next = (row + nextOffset) & ldeMask
                    folder.loadMain(main, row: row, next: next)
                    for column in 0..<air.auxWidth {
                        folder.auxLocal[column] = Fp4(aux[4 * column][row], aux[4 * column + 1][row], aux[4 * column + 2][row], aux[4 * column + 3][row])
                        folder.auxNextRow[column] = Fp4(aux[4 * column][next], aux[4 * column + 1][next], aux[4 * column + 2][next], aux[4 * column + 3][next])
                    }
                    folder.reset()
                    air.evaluate(&folder)
                    output.buffer[point] = folder.accumulator.combine(
                        vanishingInverse: Fp4(vanishingInverses[point % chunkCount]),
                        firstRowInverse: Fp4(firstRowInverses[point]), lastRowInverse: Fp4(lastRowInverses[point]),
                        transitionSelector: Fp4(points[point] - omegaInverse))
                }
            }
        }
        return result
    }

    /// The `4q` base coefficient columns of `Q_0..Q_{q−1}` (chunk-major, then `e0..e3`), each of
    /// `N` coefficients: `Q = Σ_j x^{jN} Q_j`.
    static func split(_ values: [Fp4], logTraceLength: Int, chunkCount: Int) -> [[Fp]] {
        let domain = TwoAdicCoset(logSize: logTraceLength + chunkCount.trailingZeroBitCount, shift: .generator)
        precondition(values.count == domain.size, "one value per quotient-domain point")
        let rowCount = 1 << logTraceLength
        let components = (0..<4).map { component in
            NTT.interpolate(values: values.map { $0.coefficient(component) }, onCoset: domain)
        }
        var chunks: [[Fp]] = []
        for chunk in 0..<chunkCount {
            for component in 0..<4 {
                chunks.append(Array(components[component][(chunk * rowCount)..<((chunk + 1) * rowCount)]))
            }
        }
        return chunks
    }
}
