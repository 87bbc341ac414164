import Foundation

/// Where a testnet keeps its files, all under one directory:
///
/// ```
/// DIR/testnet.json            the manifest (TestnetManifest)
/// DIR/genesis.json            the genesis file every node loads
/// DIR/node<i>/data/           node i's chain and slashing-protection databases
/// DIR/node<i>/validator-keys.json
/// DIR/node<i>/status.json     rewritten by the node twice a slot (`keel node --status-file`)
/// DIR/node<i>/node.log        the node's standard output and error, appended across restarts
/// DIR/node<i>/pid             the running process's id
/// ```
struct TestnetLayout {
    /// The testnet's directory, absolute.
    let directory: URL

    init(directory: String) {
        let absolute = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        self.directory = absolute.standardizedFileURL
    }

    var manifest: URL { directory.appendingPathComponent("testnet.json") }
    var genesis: URL { directory.appendingPathComponent("genesis.json") }
    /// The fault table every node watches (`keel testnet fault`).
    var faultTable: URL { directory.appendingPathComponent("faults.json") }
    func nodeDirectory(_ node: Int) -> URL { directory.appendingPathComponent("node\(node)") }
    func dataDirectory(_ node: Int) -> URL { nodeDirectory(node).appendingPathComponent("data") }
    func validatorKeys(_ node: Int) -> URL { nodeDirectory(node).appendingPathComponent("validator-keys.json") }
    func statusFile(_ node: Int) -> URL { nodeDirectory(node).appendingPathComponent("status.json") }
    func logFile(_ node: Int) -> URL { nodeDirectory(node).appendingPathComponent("node.log") }
    func pidFile(_ node: Int) -> URL { nodeDirectory(node).appendingPathComponent("pid") }
}
