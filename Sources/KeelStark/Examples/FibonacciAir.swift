/// The Fibonacci AIR: two columns `(a, b)` with `a' = b`, `b' = a + b`, fixed first row and a
/// claimed last `b`. The smallest AIR with transition and boundary constraints; the tests, the
/// fuzzer and the bench use it to exercise the generic prover and verifier.
public struct FibonacciAir: Air {
    public let first: (a: Fp, b: Fp)
    /// The claimed `b` on the last row.
    public let result: Fp

    public init(first: (a: Fp, b: Fp) = (.one, .one), result: Fp) {
        self.first = first
        self.result = result
    }

    public var mainWidth: Int { 2 }
    public var maxConstraintDegree: Int { 2 }
    public var logTraceLengthRange: ClosedRange<Int> { 2...21 }

    public var binding: [UInt8] {
        var writer = ProofWriter()
        for byte in "fibonacci".utf8 { writer.write(byte) }
        writer.write(first.a)
        writer.write(first.b)
        writer.write(result)
        return writer.bytes
    }

    public func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        let a = builder.main(0), b = builder.main(1)
        builder.assertZero(a - Builder.Value(first.a), on: .firstRow)
        builder.assertZero(b - Builder.Value(first.b), on: .firstRow)
        builder.assertZero(builder.mainNext(0) - b, on: .transition)
        builder.assertZero(builder.mainNext(1) - (a + b), on: .transition)
        builder.assertZero(b - Builder.Value(result), on: .lastRow)
    }

    /// The trace of `2^logRows` rows from `first`, and the AIR that claims its last `b`.
    public static func trace(logRows: Int, first: (a: Fp, b: Fp) = (.one, .one)) -> (air: FibonacciAir, trace: [[Fp]]) {
        let rows = 1 << logRows
        var a = [Fp](repeating: .zero, count: rows), b = a
        (a[0], b[0]) = first
        for row in 1..<rows {
            a[row] = b[row - 1]
            b[row] = a[row - 1] + b[row - 1]
        }
        return (FibonacciAir(first: first, result: b[rows - 1]), [a, b])
    }
}
