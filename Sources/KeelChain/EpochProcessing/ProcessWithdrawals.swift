extension ChainState {
    /// Keel's addition to phase0, which has no withdrawals: once a validator is withdrawable,
    /// its whole balance moves to its withdrawal account. Total supply is unchanged.
    public mutating func processWithdrawals() {
        let epoch = getCurrentEpoch()
        for index in validators.indices {
            let validator = validators[index]
            guard validator.withdrawableEpoch <= epoch, validator.balance > .zero else { continue }
            let existing = accounts[validator.withdrawalAddress] ?? Account(balance: .zero)
            accounts[validator.withdrawalAddress] = Account(
                balance: Stake(existing.balance.rawValue + validator.balance.rawValue), nonce: existing.nonce)
            validators[index].balance = .zero
        }
    }
}
