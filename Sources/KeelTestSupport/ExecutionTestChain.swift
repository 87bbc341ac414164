import KeelChain
import KeelCrypto
import KeelVM

/// A devnet chain with the Fibonacci program deployed whose blocks carry a transfer and a call,
/// advanced block by block, keeping each block's pre-state so tests can trace, prove and
/// re-execute it.
public struct ExecutionTestChain {
    public static let fibonacci = Address(SHA256.hash(Array("keel/tests/fibonacci".utf8)))

    public var chain: TestChain
    /// Each block with the full state it was applied to.
    public var blocks: [(block: SignedBlock, preState: ChainState)] = []

    /// - Parameter bystanderAccounts: funded accounts no block touches, so that the state tree
    ///   is deep enough for a witness to leave most of it out.
    public init(validatorCount: Int = 4, bystanderAccounts: Int = 256) throws {
        let code = try Assembler.assemble(try RepositoryPaths.programSource("fibonacci")).encoded()
        var accounts: [Address: Stake] = [:]
        for index in 0..<bystanderAccounts {
            accounts[Address(SHA256.hash(Array("keel/tests/bystander/\(index)".utf8)))] = Stake(1_000)
        }
        chain = try TestChain(validatorCount: validatorCount, programs: [Self.fibonacci: code], accounts: accounts)
    }

    /// Advances one slot; the block carries a transfer to a fresh address and a Fibonacci call
    /// of `n` (about 5n steps), both from validator 0's account.
    public mutating func advance(n: UInt32 = 50, participates: (ValidatorIndex) -> Bool = { _ in true }) throws {
        let slot = Slot(chain.state.slot.rawValue + 1)
        let recipient = Address(SHA256.hash(Array("keel/tests/recipient/\(slot.rawValue)".utf8)))
        var operations = BlockOperations()
        operations.transactions.append(chain.transaction(from: 0, .transfer(recipient: recipient, amount: Stake(5))))
        // The call's nonce follows the transfer's.
        let call = Transaction(
            sender: operations.transactions[0].message.sender, nonce: operations.transactions[0].message.nonce + 1,
            fee: Stake(1_000_000), kind: .call(program: Self.fibonacci, input: [n], stepLimit: 10_000))
        let key = chain.secretKeys[0]
        operations.transactions.append(SignedTransaction(message: call, signature: key.sign(chain.state.signingRoot(of: call))))
        let preState = chain.state
        let block = try chain.advance(to: slot, operations: operations, participates: participates)
        blocks.append((block, preState))
    }

    /// `block` with another state root, re-signed by its proposer so that only the root is wrong.
    public func withStateRoot(_ root: Root, _ signed: SignedBlock, preState: ChainState) -> SignedBlock {
        var block = signed.message
        block.stateRoot = root
        let key = chain.secretKeys[Int(block.proposerIndex.rawValue)]
        return SignedBlock(message: block, signature: key.sign(preState.signingRoot(of: block)))
    }
}
