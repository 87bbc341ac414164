import ArgumentParser
import KeelNode

/// `--proof-system stub|stark` of `keel node`, `keel testnet up` and `keel light`.
enum ProofSystemName: String, ExpressibleByArgument, CaseIterable, Codable {
    case stub, stark

    var nodeProofSystem: NodeProofSystem {
        switch self {
        case .stub: .stub
        case .stark: .stark
        }
    }
}
