import KeelChain
import KeelCrypto
import XCTest

final class SigningRootTests: XCTestCase {
    private let objectRoot = SHA256.hash(Array("object".utf8))
    private let genesisRoot = SHA256.hash(Array("genesis".utf8))

    func testIsSHA256OfDomainByteGenesisRootAndObjectRoot() {
        for domain in DomainType.allCases {
            let expected = SHA256.hash([domain.rawValue] + genesisRoot.bytes + objectRoot.bytes)
            XCTAssertEqual(computeSigningRoot(objectRoot, domain: domain, genesisRoot: genesisRoot), expected)
        }
    }

    func testDiffersAcrossDomains() {
        let roots = DomainType.allCases.map { computeSigningRoot(objectRoot, domain: $0, genesisRoot: genesisRoot) }
        XCTAssertEqual(Set(roots).count, DomainType.allCases.count)
        XCTAssertFalse(roots.contains(objectRoot))
    }

    func testDiffersAcrossGenesisRootsAndObjects() {
        let otherGenesis = SHA256.hash(Array("other chain".utf8))
        for domain in DomainType.allCases {
            let root = computeSigningRoot(objectRoot, domain: domain, genesisRoot: genesisRoot)
            XCTAssertNotEqual(root, computeSigningRoot(objectRoot, domain: domain, genesisRoot: otherGenesis))
            XCTAssertNotEqual(root, computeSigningRoot(genesisRoot, domain: domain, genesisRoot: objectRoot))
            XCTAssertNotEqual(root, computeSigningRoot(otherGenesis, domain: domain, genesisRoot: genesisRoot))
        }
    }
}
