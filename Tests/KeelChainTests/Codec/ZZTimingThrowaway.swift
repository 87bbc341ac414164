import KeelChain
import XCTest

final class ZZTimingThrowaway: XCTestCase {
    func testTiming() throws {
        var generator = CodecGenerator(seed: 1)
        var body = generator.blockBody(proposerSlashings: 0, attesterSlashings: 0, attestations: 128, transactions: 0)
        body.transactions = (0..<100).map { _ in generator.signedTransaction(tag: 0) }
        let block = SignedBlock(message: generator.block(body: body), signature: generator.signature())
        let bytes = block.encoded
        let clock = ContinuousClock()
        let n = 2_000
        var sink = 0
        var start = clock.now
        for _ in 0..<n { sink &+= block.encoded.count }
        let encodeTime = (clock.now - start) / n
        start = clock.now
        for _ in 0..<n { sink &+= try SignedBlock(decoding: bytes).message.body.attestations.count }
        let decodeTime = (clock.now - start) / n
        start = clock.now
        for _ in 0..<n { sink &+= Int(block.message.hashTreeRoot.bytes[0]) }
        let rootTime = (clock.now - start) / n
        print("TIMING bytes=\(bytes.count) encode=\(encodeTime) decode=\(decodeTime) blockRoot=\(rootTime) sink=\(sink)")
    }
}
