import Foundation
import KeelNode

/// The foreground of `keel testnet up`: redraws the status table, announces the first
/// finality, and decides when `up` is done.
struct TestnetWatcher {
    enum Outcome: Equatable {
        /// Every running node finalized the `--until-finalized` epoch on one root.
        case finalized
        /// Ctrl-C or SIGTERM.
        case interrupted
        /// No node runs any more (stopped from another terminal, or crashed).
        case allStopped
        /// `--until-finalized` was not reached in time.
        case timedOut
    }

    let processes: NodeProcesses
    let untilFinalized: UInt64?
    let timeoutMs: UInt64
    /// Redraw in place on a terminal; print once an epoch into a pipe or file.
    let isTerminal = isatty(STDOUT_FILENO) == 1

    private var refreshMs: UInt64 { min(1_000, max(100, processes.manifest.slotMs / 2)) }

    /// Waits until every node has written its status (they write it from slot 1 on), or gives
    /// up a few slots after genesis.
    func waitForFirstReports(stop: StopRequest) {
        let manifest = processes.manifest
        let deadline = max(SlotClock.systemNowMs(), manifest.genesisTimeMs) + 3 * manifest.slotMs + 10_000
        while SlotClock.systemNowMs() < deadline, !stop.isRequested {
            let status = TestnetStatus(processes, nowMs: SlotClock.systemNowMs())
            if status.nodes.allSatisfy({ !$0.running || ($0.reported != nil && ($0.reportAgeMs ?? .max) < 2 * manifest.slotMs + 1_000) }) {
                return
            }
            usleep(UInt32(refreshMs * 1_000))
        }
    }

    func watch(stop: StopRequest) -> Outcome {
        let startMs = SlotClock.systemNowMs()
        var printedEpoch: UInt64?
        var announcedFinality = false
        while true {
            NodeProcesses.reapChildren()
            let nowMs = SlotClock.systemNowMs()
            let status = TestnetStatus(processes, nowMs: nowMs)
            if stop.isRequested { return .interrupted }
            if !status.nodes.contains(where: \.running) {
                print(status.table())
                print("every node has stopped; see 'keel testnet logs NODE --dir \(processes.layout.directory.path)'")
                return .allStopped
            }
            let finality = status.runningFinality
            if !announcedFinality, let finality, finality.epoch >= 1 {
                announcedFinality = true
                print("first finality: every running node has finalized epoch \(finality.epoch) by slot \(status.slot) (epoch \(status.epoch))")
            }
            if isTerminal {
                // Home, clear, redraw.
                print("\u{1B}[H\u{1B}[2J" + status.table() + "\n\nCtrl-C stops every node.", terminator: "\n")
            } else if printedEpoch != status.epoch {
                printedEpoch = status.epoch
                print(status.table() + "\n")
            }
            fflush(nil)  // all streams: the table shows now even into a pipe
            if let target = untilFinalized, let finality, finality.epoch >= target, finality.agree {
                if !isTerminal { print(status.table()) }
                print("done: every running node has finalized epoch \(finality.epoch) on the same root, at slot \(status.slot) (epoch \(status.epoch))")
                fflush(nil)
                return .finalized
            }
            if let target = untilFinalized, nowMs - startMs > timeoutMs {
                print(status.table())
                print("timed out: epoch \(target) not finalized by every running node within \(timeoutMs / 1_000) s")
                return .timedOut
            }
            usleep(UInt32(refreshMs * 1_000))
        }
    }
}
