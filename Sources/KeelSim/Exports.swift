// The simulator's one generator; users of KeelSim (tests, the soak, benchmarks) draw from it.
@_exported import KeelRandom
