/// Whether two attestations by one validator break an FFG slashing condition (phase0
/// `is_slashable_attestation_data`, "Helper functions / Predicates").
///
/// The two conditions are a double vote (two different votes for the same target epoch) and a
/// surround vote (the first vote's source-to-target span strictly surrounds the second's). The
/// check is not symmetric, as in the spec: `isSlashableAttestationData(a, b)` finds
/// `a` surrounding `b`; an attester slashing may name the two attestations in either order, so
/// callers that do not know the order check both.
///
/// Departure from phase0: Keel's `AttestationData` has no committee `index` (one committee per
/// slot), so "different data" compares slot, head root, source and target only.
///
/// - Parameters:
///   - data1: The first attestation's data.
///   - data2: The second attestation's data.
/// - Returns: `isDoubleVote(data1, data2) || isSurroundVote(data1, data2)`.
public func isSlashableAttestationData(_ data1: AttestationData, _ data2: AttestationData) -> Bool {
    isDoubleVote(data1, data2) || isSurroundVote(data1, data2)
}

/// The double-vote half of `isSlashableAttestationData`: `data_1 != data_2 and
/// data_1.target.epoch == data_2.target.epoch`.
///
/// - Parameters:
///   - data1: The first attestation's data.
///   - data2: The second attestation's data.
/// - Returns: Whether the two differ yet vote for the same target epoch.
public func isDoubleVote(_ data1: AttestationData, _ data2: AttestationData) -> Bool {
    data1 != data2 && data1.target.epoch == data2.target.epoch
}

/// The surround-vote half of `isSlashableAttestationData`: `data_1.source.epoch <
/// data_2.source.epoch and data_2.target.epoch < data_1.target.epoch`.
///
/// - Parameters:
///   - data1: The attestation data that may surround the other.
///   - data2: The attestation data that may be surrounded.
/// - Returns: Whether `data1`'s span strictly surrounds `data2`'s.
public func isSurroundVote(_ data1: AttestationData, _ data2: AttestationData) -> Bool {
    data1.source.epoch < data2.source.epoch && data2.target.epoch < data1.target.epoch
}
