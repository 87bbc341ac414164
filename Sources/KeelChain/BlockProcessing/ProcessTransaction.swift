import KeelCrypto
import KeelVM

extension ChainState {
    /// Applies one signed transaction: checks signature, nonce and funds, applies its kind,
    /// then charges the fee to the sender and credits it to the proposer's withdrawal account.
    ///
    /// Every check runs before the first write, so a rejected transaction changes nothing.
    /// A call whose program faults keeps the fee and leaves the program's storage as it was.
    ///
    /// - Returns: What the transaction did, for its receipt (a call's VM result among it).
    @discardableResult
    public mutating func processTransaction(
        _ signed: SignedTransaction, proposerIndex: ValidatorIndex, verifier: inout SignatureVerifier
    ) throws(TransactionInvalid) -> TransactionEffect {
        let transaction = signed.message
        guard let account = accounts[transaction.sender],
            let senderKey = PublicKey(bytes: transaction.sender.hash.bytes)
        else { throw .unknownSender(transaction.sender) }
        let signingRoot = transaction.signingRoot(genesisRoot: genesisRoot)
        guard verifier.check(SignatureSet(publicKey: senderKey, signingRoot: signingRoot, signature: signed.signature)) else {
            throw .badSignature
        }
        guard transaction.nonce == account.nonce else { throw .wrongNonce(got: transaction.nonce, expected: account.nonce) }

        let effect: TransactionEffect
        switch transaction.kind {
        case let .transfer(recipient, amount):
            try requireFunds(account, transaction.fee, amount)
            // A transfer to oneself moves nothing. Otherwise the recipient's sum is checked before
            // the first write, so that an overflow leaves the state as it was.
            if recipient != transaction.sender {
                let recipientBalance = accounts[recipient]?.balance ?? .zero
                let credited = try arithmetic { () throws(ArithmeticError) in try recipientBalance.safeAdd(amount) }
                accounts[transaction.sender]!.balance = Stake(account.balance.rawValue - amount.rawValue)
                accounts[recipient] = Account(balance: credited, nonce: accounts[recipient]?.nonce ?? 0)
            }
            effect = .transferred
        case let .deploy(code):
            try requireFunds(account, transaction.fee, .zero)
            effect = .deployed(program: try deployProgram(code, sender: transaction.sender, nonce: transaction.nonce))
        case let .call(programAddress, input, stepLimit):
            try requireFunds(account, transaction.fee, .zero)
            effect = .called(try callProgram(programAddress, input: input, stepLimit: stepLimit, fee: transaction.fee))
        case let .deposit(validatorKey, amount, randaoCommitment, proofOfPossession):
            try requireFunds(account, transaction.fee, amount)
            let validatorCount = validators.count
            let validator = try processDeposit(
                validatorKey: validatorKey, amount: amount, randaoCommitment: randaoCommitment,
                proofOfPossession: proofOfPossession, withdrawalAddress: transaction.sender, verifier: &verifier)
            accounts[transaction.sender]!.balance = Stake(account.balance.rawValue - amount.rawValue)
            effect = .deposited(validator: validator, created: validators.count > validatorCount)
        case let .exit(validatorIndex):
            try requireFunds(account, transaction.fee, .zero)
            try processExit(validatorIndex, sender: transaction.sender)
            effect = .exitInitiated(validator: validatorIndex)
        }
        chargeFee(transaction.fee, from: transaction.sender, proposerIndex: proposerIndex)
        return effect
    }

    private func requireFunds(_ account: Account, _ fee: Stake, _ amount: Stake) throws(TransactionInvalid) {
        let needed = try arithmetic { () throws(ArithmeticError) in try fee.safeAdd(amount) }
        guard account.balance >= needed else { throw .insufficientBalance(needed: needed, available: account.balance) }
    }

    private func arithmetic<T>(_ body: () throws(ArithmeticError) -> T) throws(TransactionInvalid) -> T {
        do { return try body() } catch { throw .arithmetic(error) }
    }

    private mutating func chargeFee(_ fee: Stake, from sender: Address, proposerIndex: ValidatorIndex) {
        accounts[sender]!.balance = accounts[sender]!.balance.saturatingSub(fee)
        accounts[sender]!.nonce += 1
        let beneficiary = validators[Int(proposerIndex.rawValue)].withdrawalAddress
        let existing = accounts[beneficiary] ?? Account(balance: .zero)
        accounts[beneficiary] = Account(balance: Stake(existing.balance.rawValue + fee.rawValue), nonce: existing.nonce)
    }

    private mutating func deployProgram(_ code: [UInt8], sender: Address, nonce: UInt64) throws(TransactionInvalid) -> Address {
        // The preset's limit, not only the codec's: a block built in memory is never decoded.
        guard UInt64(code.count) <= preset.maxProgramBytes else {
            throw .programTooLarge(bytes: code.count, limit: preset.maxProgramBytes)
        }
        let program: Program
        do { program = try Program(decoding: code) } catch { throw .invalidProgram(error.description) }
        guard UInt64(program.storageCount) <= preset.maxProgramStorageCells else {
            throw .programStorageTooLarge(cells: program.storageCount, limit: preset.maxProgramStorageCells)
        }
        let address = Address.program(deployer: sender, nonce: nonce)
        guard programs[address] == nil else { throw .programAlreadyExists(address) }
        programs[address] = ProgramAccount(code: code, storage: Array(repeating: 0, count: Int(program.storageCount)))
        return address
    }

    /// The checks a call passes before its program runs (its funds, step limit, input, fee against
    /// the step cost, the program and its input count), without running it: what a node can
    /// afford to check for every call it is sent.
    public func checkCallBeforeRunning(_ signed: SignedTransaction) throws(TransactionInvalid) {
        let transaction = signed.message
        guard case let .call(address, input, stepLimit) = transaction.kind else { return }
        guard let account = accounts[transaction.sender] else { throw .unknownSender(transaction.sender) }
        try requireFunds(account, transaction.fee, .zero)
        _ = try preparedCall(address, input: input, stepLimit: stepLimit, fee: transaction.fee)
    }

    /// A call's checks; returns the program to run and its account.
    private func preparedCall(
        _ address: Address, input: [UInt32], stepLimit: UInt64, fee: Stake
    ) throws(TransactionInvalid) -> (program: Program, account: ProgramAccount) {
        guard stepLimit <= preset.maxStepsPerCall else {
            throw .stepLimitTooHigh(requested: stepLimit, limit: preset.maxStepsPerCall)
        }
        guard UInt64(input.count) <= preset.maxCallInputCells else {
            throw .tooManyInputCells(count: input.count, limit: preset.maxCallInputCells)
        }
        let stepCost = try arithmetic { () throws(ArithmeticError) in try preset.feePerStep.safeMul(stepLimit) }
        guard fee >= stepCost else { throw .feeBelowStepCost(fee: fee, stepCost: stepCost) }
        guard let account = programs[address] else { throw .unknownProgram(address) }
        // The code was validated at deployment; a stored program that no longer decodes is a bug.
        guard let program = try? Program(decoding: account.code) else { preconditionFailure("stored program \(address) is invalid") }
        guard input.count == Int(program.inputCount) else {
            throw .inputCountMismatch(expected: program.inputCount, got: input.count)
        }
        // Decoding rejects such a cell, but a block built in memory reaches this point undecoded.
        if let bad = input.first(where: { $0 >= KoalaBear.p }) { throw .inputNotInField(value: bad) }
        return (program, account)
    }

    private mutating func callProgram(
        _ address: Address, input: [UInt32], stepLimit: UInt64, fee: Stake
    ) throws(TransactionInvalid) -> CallEffect {
        let (program, account) = try preparedCall(address, input: input, stepLimit: stepLimit, fee: fee)
        let result: ExecutionResult
        if let vmExecutor {
            result = vmExecutor.execute(program, storage: account.storage, input: input, stepLimit: stepLimit)
        } else {
            do {
                result = try Interpreter(program).run(storage: account.storage, input: input, stepLimit: stepLimit)
            } catch {
                // Lengths and input values were checked above, and storage only ever holds VM results.
                preconditionFailure("call input rejected by the VM: \(error)")
            }
        }
        accessLog?.recordSteps(result.steps)
        if result.status == .halted { programs[address]!.storage = result.storage }
        return CallEffect(program: address, result: result, storageBefore: account.storage)
    }
}
