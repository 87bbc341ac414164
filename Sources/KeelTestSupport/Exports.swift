// Tests and fuzzers draw their randomness from the simulator's generator, so that a seed means
// the same thing everywhere.
@_exported import struct KeelSim.SplitMix64
