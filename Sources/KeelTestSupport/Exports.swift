// Tests and fuzzers draw their randomness from the simulator's generator (KeelRandom), so that a
// seed means the same thing everywhere; KeelTestSupport itself does not depend on the simulator.
@_exported import KeelRandom
