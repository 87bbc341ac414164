import KeelVM

/// What runs the VM for a call: the interpreter when none is attached. A stateless verifier of
/// call proofs attaches one that takes each call's result from its proof instead of running it
/// (spec/STARK.md §9.7), and a prover one that proves each call as it runs.
///
/// - Important: An executor must return the result the interpreter would for the same
///   arguments, or report that it cannot (`StarkProofSystem` records a failure and the block
///   does not verify). It is not part of the state's identity.
public protocol VMExecutor: AnyObject, Sendable {
    /// The result of running `program` on `storage` and `input` with `stepLimit`.
    func execute(_ program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64) -> ExecutionResult
}

extension ChainState {
    /// Runs calls with `executor` until ``detachVMExecutor()``.
    public mutating func attachVMExecutor(_ executor: any VMExecutor) {
        vmExecutor = executor
    }

    public mutating func detachVMExecutor() {
        vmExecutor = nil
    }
}
