import KeelTestSupport
import XCTest

@testable import KeelVM

final class KoalaBearTests: XCTestCase {
    func testModulusIsKoalaBear() {
        XCTAssertEqual(UInt64(KoalaBear.p), (1 << 31) - (1 << 24) + 1)
        // The x^3 S-box of toy_hash.kasm is a permutation only if gcd(3, p - 1) == 1.
        XCTAssertNotEqual((KoalaBear.p - 1) % 3, 0)
    }

    func testAddAndMulAgreeWithWideArithmetic() {
        var rng = SplitMix64(seed: 1)
        let p = UInt64(KoalaBear.p)
        let edges: [UInt32] = [0, 1, 2, KoalaBear.p - 1, KoalaBear.p - 2, KoalaBear.p / 2, 1 << 24]
        var pairs: [(UInt32, UInt32)] = edges.flatMap { a in edges.map { (a, $0) } }
        for _ in 0..<10_000 {
            pairs.append((UInt32.random(in: 0..<KoalaBear.p, using: &rng), UInt32.random(in: 0..<KoalaBear.p, using: &rng)))
        }
        for (a, b) in pairs {
            XCTAssertEqual(UInt64(KoalaBear.add(a, b)), (UInt64(a) + UInt64(b)) % p, "\(a) + \(b)")
            XCTAssertEqual(UInt64(KoalaBear.mul(a, b)), (UInt64(a) * UInt64(b)) % p, "\(a) * \(b)")
        }
    }

    func testInverseAndNegate() {
        var rng = SplitMix64(seed: 2)
        XCTAssertEqual(KoalaBear.inverse(0), 0)
        XCTAssertEqual(KoalaBear.negate(0), 0)
        for _ in 0..<200 {
            let a = UInt32.random(in: 1..<KoalaBear.p, using: &rng)
            XCTAssertEqual(KoalaBear.mul(a, KoalaBear.inverse(a)), 1, "inverse of \(a)")
            XCTAssertEqual(KoalaBear.add(a, KoalaBear.negate(a)), 0, "negation of \(a)")
        }
    }
}
