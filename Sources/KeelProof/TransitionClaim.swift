import KeelChain
import KeelCrypto

/// What a proof of one block's execution asserts: applying the block whose root is `blockRoot`
/// to the state whose root is `preStateRoot` gives the state whose root is `postStateRoot`, and
/// its calls ran `vmSteps` VM steps.
///
/// Checking the claim against a proof replaces re-executing the block; a verifier must still
/// check that `preStateRoot` is the state root it trusts and `blockRoot` the block it follows.
public struct TransitionClaim: Hashable, Sendable, CanonicalCodable, CustomStringConvertible {
    public var preStateRoot: Root
    public var blockRoot: Root
    public var postStateRoot: Root
    public var vmSteps: UInt64

    public init(preStateRoot: Root, blockRoot: Root, postStateRoot: Root, vmSteps: UInt64) {
        self.preStateRoot = preStateRoot
        self.blockRoot = blockRoot
        self.postStateRoot = postStateRoot
        self.vmSteps = vmSteps
    }

    /// The encoded size: three roots and a `UInt64`.
    public static let encodedByteCount = 3 * 32 + 8

    public func encode(to writer: inout ByteWriter) {
        writer.write(preStateRoot)
        writer.write(blockRoot)
        writer.write(postStateRoot)
        writer.write(vmSteps)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        preStateRoot = try reader.readHash32("TransitionClaim.preStateRoot")
        blockRoot = try reader.readHash32("TransitionClaim.blockRoot")
        postStateRoot = try reader.readHash32("TransitionClaim.postStateRoot")
        vmSteps = try reader.readUInt64("TransitionClaim.vmSteps")
    }

    public var description: String {
        "block \(blockRoot.hex.prefix(16)): state \(preStateRoot.hex.prefix(16)) -> \(postStateRoot.hex.prefix(16)), \(vmSteps) VM steps"
    }
}
