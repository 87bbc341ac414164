/// The node API's JSON, as far as a light node reads it (snake_case keys, hex without `0x`;
/// see Sources/KeelNode/API). Only fields the light node uses are declared.
struct LightHeadJSON: Decodable {
    var slot: UInt64
    var root: String
}

struct LightCheckpointJSON: Decodable {
    var epoch: UInt64
    var root: String
}

struct LightFinalityJSON: Decodable {
    var justified: LightCheckpointJSON
    var finalized: LightCheckpointJSON
}

struct LightBlockJSON: Decodable {
    var encoded: String
}

struct LightProofJSON: Decodable {
    var system: String
    var claim: LightClaimJSON
    var proof: String

    struct LightClaimJSON: Decodable {
        var vmSteps: UInt64
    }
}

struct LightWitnessJSON: Decodable {
    var witness: String
}

struct LightRegistryJSON: Decodable {
    var registry: String
}

struct LightAccountJSON: Decodable {
    var address: String
    var exists: Bool
    var balance: String
    var nonce: UInt64
    var slot: UInt64
    var stateRoot: String
    var proof: String
}
