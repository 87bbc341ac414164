import KeelRandom
import XCTest
@testable import KeelStark

/// The NTT against a naive DFT, and the coset transforms built on it.
final class NTTTests: XCTestCase {
    private var random = SplitMix64(seed: 0xd1f7)

    private func randomValues(_ count: Int) -> [Fp] { (0..<count).map { _ in Fp(random.next()) } }

    private func naiveEvaluate(_ coefficients: [Fp], at point: Fp) -> Fp {
        coefficients.reversed().reduce(Fp.zero) { $0 * point + $1 }
    }

    func testForwardMatchesNaiveDFT() {
        for log in 0...9 {
            let coefficients = randomValues(1 << log)
            var values = coefficients
            NTT.forward(&values)
            let omega = Fp.twoAdicGenerator(logSize: log)
            for index in values.indices {
                XCTAssertEqual(values[index], naiveEvaluate(coefficients, at: omega.power(UInt64(index))), "2^\(log), index \(index)")
            }
        }
    }

    func testInverseUndoesForward() {
        for log in [0, 1, 5, 12] {
            let original = randomValues(1 << log)
            var values = original
            NTT.forward(&values)
            NTT.inverse(&values)
            XCTAssertEqual(values, original)
        }
    }

    func testCosetEvaluationAndInterpolation() {
        let coset = TwoAdicCoset(logSize: 6, shift: .generator)
        let coefficients = randomValues(40)
        let values = NTT.evaluate(coefficients: coefficients, onCoset: coset)
        let points = coset.elements()
        for index in values.indices {
            XCTAssertEqual(values[index], naiveEvaluate(coefficients, at: points[index]))
        }
        XCTAssertEqual(NTT.interpolate(values: values, onCoset: coset), coefficients + [Fp](repeating: .zero, count: 24))
    }

    func testExtensionAgreesWithTheColumnOnItsOwnDomain() {
        let column = randomValues(16)
        let lde = TwoAdicCoset(logSize: 7, shift: .generator)
        var coefficients = column
        NTT.inverse(&coefficients)
        let extended = NTT.extend(column, to: lde)
        XCTAssertEqual(extended, lde.elements().map { naiveEvaluate(coefficients, at: $0) })
    }

    func testBitReversal() {
        XCTAssertEqual(BitReversal.reverse(1, bits: 3), 4)
        XCTAssertEqual(BitReversal.reverse(6, bits: 3), 3)
        XCTAssertEqual(BitReversal.reverse(0, bits: 0), 0)
        var values = Array(0..<8)
        BitReversal.permute(&values)
        XCTAssertEqual(values, [0, 4, 2, 6, 1, 5, 3, 7])
        let coset = TwoAdicCoset(logSize: 3, shift: .generator)
        XCTAssertEqual(coset.element(bitReversedPosition: 1), -coset.element(bitReversedPosition: 0), "pairs are x and −x")
    }
}
