import KeelChain
import KeelTestSupport
import XCTest

/// Hostile input for every decoder: none may trap, and whatever decodes must re-encode to the
/// very same bytes (the encoding is canonical).
final class CodecFuzzTests: XCTestCase {
    /// Decodes `bytes` with `codec`; if it decodes, asserts that re-encoding gives `bytes` back.
    /// Returns whether it decoded.
    @discardableResult
    private func check(_ codec: CodecCase, _ bytes: [UInt8], _ label: String) -> Bool {
        do throws(DecodingError) {
            let reencoded = try codec.reencode(bytes)
            XCTAssertEqual(reencoded, bytes, "\(codec.name): \(label) decoded but is not canonical")
            return true
        } catch {
            return false
        }
    }

    /// Bytes biased towards 0, 1 and 0xFF, so counts, tags and bools are often small or extreme.
    private func randomByte(_ generator: inout CodecGenerator) -> UInt8 {
        let bits = generator.rng.next()
        switch bits & 3 {
        case 0: return 0
        case 1: return UInt8((bits >> 8) % 6)
        case 2: return 0xFF
        default: return UInt8(truncatingIfNeeded: bits >> 8)
        }
    }

    func testRandomBytesNeverTrap() {
        var generator = CodecGenerator(seed: 0xF022)
        // Windows into one pool of biased random bytes: drawing every byte afresh costs more
        // than the decoding in a debug build.
        let pool = (0..<(1 << 18)).map { _ in randomByte(&generator) }
        for codec in CodecCase.all {
            var decodedCount = 0
            // Exact valid lengths matter for fixed-size types; random bytes as long as a block
            // fail at its first count anyway, so lengths stay short to keep the test fast.
            let validLength = min(codec.sample(&generator).count, 600)
            for iteration in 0..<10_000 {
                let length: Int
                switch iteration % 4 {
                case 0: length = generator.int(0..<16)
                case 1: length = validLength
                case 2: length = validLength + generator.int(-8..<9)
                default: length = generator.int(0..<600)
                }
                let start = generator.int(0..<(pool.count - 1_024))
                let bytes = Array(pool[start..<start + max(0, length)])
                if check(codec, bytes, "random bytes #\(iteration)") {
                    decodedCount += 1
                }
            }
            // Any 8, 32 or 64 bytes are a valid slot, root or signature: the success path runs too.
            if ["Slot", "Hash32", "Signature", "Checkpoint", "Account"].contains(codec.name) {
                XCTAssertGreaterThan(decodedCount, 0, "\(codec.name): no random input decoded")
            }
        }
    }

    func testMutatedValidEncodingsNeverTrap() {
        var generator = CodecGenerator(seed: 0x3A7E)
        for codec in CodecCase.all {
            var decodedCount = 0
            for iteration in 0..<1_000 {
                var bytes = codec.sample(&generator)
                mutate(&bytes, &generator)
                if check(codec, bytes, "mutation #\(iteration)") {
                    decodedCount += 1
                }
            }
            // Byte flips in fixed-size fields keep many mutants valid: the decoders are exercised
            // past their first field, not just rejecting everything.
            if ["Slot", "Hash32", "Signature", "Checkpoint", "Attestation", "Block"].contains(codec.name) {
                XCTAssertGreaterThan(decodedCount, 0, "\(codec.name): no mutant decoded")
            }
        }
    }

    /// One random mutation: flip bytes, truncate, extend, or overwrite four bytes with a count.
    private func mutate(_ bytes: inout [UInt8], _ generator: inout CodecGenerator) {
        guard !bytes.isEmpty else {
            bytes = (0..<generator.int(0..<8)).map { _ in randomByte(&generator) }
            return
        }
        switch generator.rng.next() % 5 {
        case 0, 1:
            for _ in 0..<generator.int(1..<4) {
                bytes[generator.int(0..<bytes.count)] = randomByte(&generator)
            }
        case 2:
            bytes.removeLast(generator.int(1..<bytes.count + 1))
        case 3:
            bytes += (0..<generator.int(1..<8)).map { _ in randomByte(&generator) }
        default:
            let offset = generator.int(0..<bytes.count)
            let counts: [UInt32] = [0, 1, 2, 16, 17, 4_096, 4_097, .max]
            let count = counts[generator.int(0..<counts.count)]
            let countBytes = littleEndian(count)
            for index in 0..<4 where offset + index < bytes.count {
                bytes[offset + index] = countBytes[index]
            }
        }
    }
}
