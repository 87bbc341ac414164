import ArgumentParser
import Foundation
import KeelChain
import KeelCrypto
import KeelFormats
import KeelLight
import KeelNode
import KeelVM

extension Keel {
    /// `keel tx`: send transactions to a node and read their receipts.
    struct Tx: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tx",
            abstract: "Send transactions (transfer, deploy, call, deposit, exit) and read their receipts.",
            discussion: """
                Each command signs with a devnet account (--from K: the genesis account of validator K) or a key \
                file (--key FILE, {"secret_key": "<64 hex digits>"}, mode 0600), fills in the nonce and fee from the \
                node, submits, waits for inclusion (unless --no-wait) and prints the receipt (--json for scripts). A \
                refused transaction prints the node's reason and exits 1. The node is --node URL, by default node 0 \
                of the testnet in --dir (devnet).
                """,
            subcommands: [
                TxTransfer.self, TxDeploy.self, TxCall.self, TxDeposit.self, TxExit.self, TxAccounts.self, TxStatusCommand.self,
            ])
    }
}

/// Which node `keel tx` talks to.
struct TxNodeOptions: ParsableArguments {
    @Option(help: "The node's API address (default: node 0 of the testnet in --dir).")
    var node: String?

    @Option(help: "The testnet directory whose node 0 is used when --node is not given.")
    var dir: String = TestnetDirectoryOption.defaultDirectory

    func validate() throws {
        if let node { do { _ = try NodeURL(node) } catch { throw ValidationError("--node: \(error)") } }
    }

    /// The node: --node, else node 0 of the testnet's manifest.
    func txNode() throws -> TxNode {
        if let node { return TxNode(url: try NodeURL(node)) }
        let layout = TestnetLayout(directory: dir)
        let manifest = try TestnetManifest.load(layout)
        let first = try manifest.node(0)
        return TxNode(url: try NodeURL("http://\(manifest.host):\(first.apiPort)"))
    }
}

/// Who signs, and how the transaction is sent.
struct TxSendOptions: ParsableArguments {
    @Option(help: "Sign with devnet account K: the genesis account of validator K.")
    var from: UInt64?

    @Option(help: "Sign with the key in FILE ({\"secret_key\": \"<64 hex digits>\"}, mode 0600).")
    var key: String?

    @Option(help: "The fee in base units (default: a call's step limit times the chain's fee per step; 1000 for other kinds).")
    var fee: UInt64?

    @Option(help: "The nonce (default: the account's next one at the node's head).")
    var nonce: UInt64?

    @Flag(help: "Return once the node has accepted the transaction, without waiting for its inclusion.")
    var noWait = false

    @Option(help: "Seconds to wait for inclusion.")
    var timeout: Int = 60

    @Flag(help: "Print the receipt (or the submission) as JSON.")
    var json = false

    /// The fee of kinds other than calls when --fee is not given.
    static let defaultFee: UInt64 = 1_000

    func validate() throws {
        guard (from == nil) != (key == nil) else { throw ValidationError("give exactly one of --from K and --key FILE") }
        guard timeout >= 1 else { throw ValidationError("--timeout: at least 1 second") }
    }

    /// The signing key, checked against the chain: a devnet account must be in its genesis.
    func accountKey(genesis: GenesisFile) throws -> AccountKey {
        if let key { return try AccountKey.load(path: key) }
        guard let from else { preconditionFailure("validate() requires --from or --key") }
        let account = AccountKey.devnet(from)
        guard genesis.accounts[account.address] != nil else {
            throw UsageError("--from \(from): this chain's genesis has no devnet account \(from) (it has \(genesis.validators.count) validators; see 'keel tx accounts')")
        }
        return account
    }
}

/// Builds, signs, submits and follows one transaction: what every `keel tx` sending command does.
enum TxSubmission {
    /// Sends the transaction of `kind` (built once the chain is known) and prints the outcome.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - options: Signing and waiting.
    ///   - defaultFee: The fee when --fee is not given, from the chain's preset.
    ///   - kind: The transaction's kind, from the genesis and the signing account.
    ///   - announce: Printed (to standard error) once submitted, e.g. a program's address.
    /// - Returns: The receipt, or nil with --no-wait.
    @discardableResult
    static func send(
        node: TxNode, options: TxSendOptions, defaultFee: @escaping @Sendable (Preset) -> UInt64 = { _ in TxSendOptions.defaultFee },
        kind: @escaping @Sendable (GenesisFile, AccountKey) throws -> TransactionKind,
        announce: @escaping @Sendable (Transaction) -> String? = { _ in nil }
    ) throws -> APIReceiptJSON? {
        try blockingAwait {
            let genesis = try await node.genesis()
            let key = try options.accountKey(genesis: genesis)
            let account = try await node.account(key.address)
            guard account.exists else {
                throw UsageError("account \(key.address.hash.hex) (\(key.origin)) does not exist on this chain; fund it with a transfer first")
            }
            let transaction = Transaction(
                sender: key.address, nonce: options.nonce ?? account.nonce, fee: Stake(options.fee ?? defaultFee(genesis.preset)),
                kind: try kind(genesis, key))
            let root = try await node.submit(key.sign(transaction, genesisRoot: genesis.genesisRoot))
            if let note = announce(transaction) { Self.progress(note) }
            guard !options.noWait else {
                if options.json {
                    print(#"{"status":"pending","transaction_root":"\#(root.hex)"}"#)
                } else {
                    print("transaction \(root.hex) accepted (pending); see 'keel tx status \(root.hex)'")
                }
                return nil
            }
            Self.progress("transaction \(root.hex) accepted; waiting for its inclusion (up to \(options.timeout) s)")
            let receipt = try await waitForReceipt(node: node, root: root, timeoutSeconds: options.timeout)
            TxReceiptPrinter.print(receipt, json: options.json)
            return receipt
        }
    }

    /// Polls the node until the transaction is in a canonical block.
    static func waitForReceipt(node: TxNode, root: Root, timeoutSeconds: Int) async throws -> APIReceiptJSON {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        while ContinuousClock.now < deadline {
            let status = try await node.status(root)
            if status.status == "included", status.canonical == true, let receipt = status.receipt { return receipt }
            if status.status == "unknown" {
                throw TxError.node("the node no longer knows transaction \(root.hex): it left the pool without being included")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TxError.notIncluded(root: root, seconds: timeoutSeconds)
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }

    /// Runs a command body, turning ``TxError`` into its message and exit status 1.
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let error as TxError {
            FileHandle.standardError.write(Data("keel: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
