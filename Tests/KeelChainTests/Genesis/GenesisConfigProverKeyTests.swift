import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `GenesisConfig.proverKey`: bound into the genesis root, and named by every devnet config.
final class GenesisConfigProverKeyTests: XCTestCase {
    private static let otherProver = SecretKey(seed: SHA256.hash(Array("another prover".utf8))).publicKey

    private func config(proverKey: PublicKey?) -> GenesisConfig {
        DevnetGenesis.config(validatorCount: 4, genesisTimeMs: 0, randaoChainLength: 4, proverKey: proverKey)
    }

    func testDevnetConfigNamesTheDevnetProverByDefault() {
        let config = DevnetGenesis.config(validatorCount: 4, genesisTimeMs: 0, randaoChainLength: 4)
        XCTAssertEqual(config.proverKey, DevnetKeys.proverSecretKey.publicKey)
        XCTAssertEqual(config, self.config(proverKey: DevnetKeys.proverSecretKey.publicKey))
        XCTAssertNil(self.config(proverKey: nil).proverKey)
    }

    func testAConfigBuiltWithoutAProverNamesNone() {
        let devnet = config(proverKey: nil)
        let plain = GenesisConfig(
            preset: devnet.preset, genesisTimeMs: devnet.genesisTimeMs, validators: devnet.validators,
            accounts: devnet.accounts, programs: devnet.programs)
        XCTAssertNil(plain.proverKey)
        XCTAssertEqual(plain, devnet)
        XCTAssertEqual(plain.genesisRoot, devnet.genesisRoot)
    }

    /// Naming a prover, naming another, and naming none are three chains.
    func testTheGenesisRootChangesWithTheProverKey() {
        let devnetProver = config(proverKey: DevnetKeys.proverSecretKey.publicKey)
        let otherProver = config(proverKey: Self.otherProver)
        let noProver = config(proverKey: nil)
        let roots = [devnetProver.genesisRoot, otherProver.genesisRoot, noProver.genesisRoot]
        XCTAssertEqual(Set(roots).count, 3, "\(roots.map(\.hex))")
        var removed = devnetProver
        removed.proverKey = nil
        XCTAssertEqual(removed.genesisRoot, noProver.genesisRoot)
        var changed = noProver
        changed.proverKey = Self.otherProver
        XCTAssertEqual(changed.genesisRoot, otherProver.genesisRoot)
    }

    /// The devnet prover is not any devnet validator, so a prover signature is never also a
    /// validator's.
    func testTheDevnetProverIsNoDevnetValidator() {
        let prover = DevnetKeys.proverSecretKey.publicKey
        let config = config(proverKey: prover)
        XCTAssertFalse(config.validators.contains { $0.publicKey == prover })
        XCTAssertNil(config.accounts[Address(prover)], "the prover holds no devnet account")
    }

    /// A chain's state binds its genesis root, so a prover change reaches every signature.
    func testTheGenesisStateCarriesTheRootWithTheProver() throws {
        let withProver = try ChainState.genesis(config(proverKey: DevnetKeys.proverSecretKey.publicKey))
        let withoutProver = try ChainState.genesis(config(proverKey: nil))
        XCTAssertEqual(withProver.genesisRoot, config(proverKey: DevnetKeys.proverSecretKey.publicKey).genesisRoot)
        XCTAssertNotEqual(withProver.genesisRoot, withoutProver.genesisRoot)
    }
}
