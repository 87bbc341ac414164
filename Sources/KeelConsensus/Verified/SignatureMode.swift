import KeelChain

/// Whether a node core checks signatures: always, except in the simulator's scale runs.
///
/// - Important: `.skip` makes every verified type below a label without a check. Only
///   `keel sim --skip-signatures` uses it, and says so in its output; `keel node` has no way to
///   select it.
public enum SignatureMode: Hashable, Sendable {
    /// Every signature is checked before anything is pooled, relayed, observed or imported.
    case verify
    /// Nothing is checked (the simulator's scale runs; consensus test suites do the same).
    case skip

    /// The state transition's strategy for this mode.
    public var strategy: SignatureStrategy { self == .verify ? .verifyIndividually : .skip }
}
