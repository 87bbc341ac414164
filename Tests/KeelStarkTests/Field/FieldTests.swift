import KeelRandom
import XCTest
@testable import KeelStark

/// `F` and `E` against reference arithmetic, and the constants spec/STARK.md §1–§2 relies on.
final class FieldTests: XCTestCase {
    private var random = SplitMix64(seed: 0x5eed_f1e1d)

    private func randomBase() -> Fp { Fp(random.next() % UInt64(Fp.modulus)) }
    private func randomExtension() -> Fp4 { Fp4(randomBase(), randomBase(), randomBase(), randomBase()) }

    /// `Σ a_i b_j u^{i+j}` reduced with `u^4 = 3`, on plain integers.
    private func referenceProduct(_ a: Fp4, _ b: Fp4) -> Fp4 {
        let p = UInt64(Fp.modulus)
        let x = a.coefficients.map { UInt64($0.value) }, y = b.coefficients.map { UInt64($0.value) }
        var raw = [UInt64](repeating: 0, count: 7)
        for i in 0..<4 { for j in 0..<4 { raw[i + j] = (raw[i + j] + x[i] * y[j] % p) % p } }
        return Fp4(coefficients: (0..<4).map { k in Fp((raw[k] + 3 * (k + 4 < 7 ? raw[k + 4] : 0)) % p) })
    }

    func testBaseFieldConstants() {
        XCTAssertEqual(Fp.modulus, (1 << 31) - (1 << 24) + 1)
        XCTAssertEqual(Fp.generator.power(UInt64(Fp.modulus - 1) / 2), -Fp.one, "3 is a non-square")
        XCTAssertNotEqual(Fp.generator.power(UInt64(Fp.modulus - 1) / 127), .one, "3 has the factor 127 in its order")
        let g = Fp.twoAdicGenerator(logSize: 24)
        XCTAssertEqual(g.value, 0x6ac4_9f88, "Plonky3's TWO_ADIC_GENERATORS[24]")
        XCTAssertEqual(g.power(1 << 23), -Fp.one, "order exactly 2^24")
        for log in 0...24 {
            let omega = Fp.twoAdicGenerator(logSize: log)
            XCTAssertEqual(omega.power(UInt64(1) << UInt64(log)), .one)
            if log > 0 { XCTAssertEqual(omega.power(UInt64(1) << UInt64(log - 1)), -Fp.one, "order exactly 2^\(log)") }
        }
    }

    func testFrobeniusConstantHasOrderFourSoTheExtensionIsAField() {
        let c = Fp.generator.power(UInt64(Fp.modulus - 1) / 4)
        XCTAssertEqual(c.value, 2_113_994_754)
        XCTAssertEqual(c.power(2), -Fp.one)
    }

    func testBaseArithmeticMatchesIntegers() {
        let p = UInt64(Fp.modulus)
        for _ in 0..<2_000 {
            let a = randomBase(), b = randomBase()
            XCTAssertEqual((a + b).value, UInt32((UInt64(a.value) + UInt64(b.value)) % p))
            XCTAssertEqual((a - b).value, UInt32((UInt64(a.value) + p - UInt64(b.value)) % p))
            XCTAssertEqual((a * b).value, UInt32(UInt64(a.value) * UInt64(b.value) % p))
            if a != .zero { XCTAssertEqual(a * a.inverse(), .one) }
        }
        XCTAssertEqual(Fp.zero.inverse(), .zero)
        XCTAssertNil(Fp(checking: Fp.modulus), "p itself is not canonical")
        XCTAssertEqual(Fp(checking: Fp.modulus - 1), -Fp.one)
    }

    func testExtensionProductMatchesReferenceAndAKnownAnswer() {
        let a = Fp4(Fp(1_337_671_202), Fp(548_563_996), Fp(1_592_975_436), Fp(769_949_150))
        let b = Fp4(Fp(1_707_665_179), Fp(1_482_723_311), Fp(2_023_896_565), Fp(1_807_131_032))
        XCTAssertEqual(a * b, Fp4(Fp(116_649_576), Fp(419_570_538), Fp(1_544_002_783), Fp(157_613_636)), "computed in Python")
        for _ in 0..<2_000 {
            let x = randomExtension(), y = randomExtension()
            XCTAssertEqual(x * y, referenceProduct(x, y))
        }
        let maximal = Fp4(-Fp.one, -Fp.one, -Fp.one, -Fp.one)
        XCTAssertEqual(maximal * maximal, referenceProduct(maximal, maximal), "largest partial sums do not overflow")
        XCTAssertEqual(Fp4.u.power(4), Fp4(Fp(3)))
    }

    func testExtensionFieldLaws() {
        for _ in 0..<500 {
            let x = randomExtension(), y = randomExtension(), z = randomExtension()
            XCTAssertEqual(x * (y + z), x * y + x * z)
            XCTAssertEqual((x * y) * z, x * (y * z))
            XCTAssertEqual(x - x, .zero)
            if x != .zero { XCTAssertEqual(x * x.inverse(), .one) }
            let base = randomBase()
            XCTAssertEqual(x * base, x * Fp4(base))
            XCTAssertEqual(x + base, x + Fp4(base))
        }
        XCTAssertEqual(Fp4(.zero, .one, .zero, .zero).inverse() * .u, .one)
        XCTAssertEqual(Fp4.zero.inverse(), .zero)
    }

    func testBatchInversionMatchesSingleInversions() {
        let values = (0..<100).map { _ in randomExtension() }
        XCTAssertEqual(BatchInversion.invert(values), values.map { $0.inverse() })
        let bases = (0..<100).map { _ in randomBase() + .one }
        XCTAssertEqual(BatchInversion.invert(bases), bases.map { $0.inverse() })
    }

    func testRecombineReadsBaseColumnsAsCoefficientsOfU() {
        let x = randomExtension()
        XCTAssertEqual(Fp4.recombine(ArraySlice(x.coefficients.map { Fp4($0) })), x)
    }
}
