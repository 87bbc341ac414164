import KeelChain
import KeelConsensus
import Foundation

extension Simulator {
    func debugDump(epoch: UInt64) {
        guard ProcessInfo.processInfo.environment["KEEL_SIM_DEBUG"] != nil else { return }
        print("---- end of epoch \(epoch)")
        for node in cores.indices {
            let store = cores[node].store
            let head = store.getHead()
            let short: (Root) -> String = { r in String(r.description.prefix(8)) }
            var votes: [String] = []
            for v in 0..<config.validatorCount {
                if let m = store.latestMessage(ValidatorIndex(UInt64(v))) {
                    votes.append("v\(v):e\(m.epoch.rawValue)@\(store.slot(of: m.root).map { "\($0.rawValue)" } ?? "?")/\(short(m.root))")
                }
            }
            print("node \(node): head \(short(head)) slot \(store.slot(of: head)!.rawValue) just \(store.justifiedCheckpoint.epoch.rawValue)/\(short(store.justifiedCheckpoint.root)) fin \(store.finalizedCheckpoint.epoch.rawValue) best \(store.bestJustifiedCheckpoint.epoch.rawValue) blocks \(store.blockCount) orphans \(cores[node].orphanCount)")
            print("   votes: \(votes.joined(separator: " "))")
            if let st = store.state(head) {
                print("   headstate cj \(st.currentJustifiedCheckpoint.epoch.rawValue) pj \(st.previousJustifiedCheckpoint.epoch.rawValue) fin \(st.finalizedCheckpoint.epoch.rawValue) prevAtt \(st.previousEpochAttestations.count) curAtt \(st.currentEpochAttestations.count)")
            }
        }
    }
}
