import ArgumentParser
import Foundation
import KeelChain
import KeelCrypto
import KeelFormats
import KeelNode
import KeelVM

/// `keel tx transfer --to ADDRESS --amount N`.
struct TxTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Move an amount to another account.")

    @OptionGroup var node: TxNodeOptions
    @OptionGroup var send: TxSendOptions

    @Option(help: "The recipient's address (64 hex digits).")
    var to: String

    @Option(help: "The amount, in base units.")
    var amount: UInt64

    func validate() throws {
        guard Hash32(hex: to) != nil else { throw ValidationError("--to: '\(to)' is not an address (64 hex digits)") }
    }

    func run() throws {
        guard let recipient = Hash32(hex: to).map(Address.init) else { preconditionFailure("validated") }
        let amount = Stake(self.amount)
        try TxSubmission.run {
            try TxSubmission.send(node: try node.txNode(), options: send) { _, _ in .transfer(recipient: recipient, amount: amount) }
        }
    }
}

/// `keel tx deploy PROGRAM`.
struct TxDeploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Deploy a program (.kasm is assembled, .kvm is sent as it is) and print its address.")

    @OptionGroup var node: TxNodeOptions
    @OptionGroup var send: TxSendOptions

    @Argument(help: "The program: .kasm source or .kvm bytecode.")
    var program: String

    func run() throws {
        let code = try ProgramFile.load(at: program).encoded()
        try TxSubmission.run {
            try TxSubmission.send(
                node: try node.txNode(), options: send, kind: { _, _ in .deploy(code: code) },
                announce: { transaction in
                    "program address \(Address.program(deployer: transaction.sender, nonce: transaction.nonce).hash.hex)"
                })
        }
    }
}

/// `keel tx call ADDRESS --input 1,2,3 [--max-steps N]`.
struct TxCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Call a deployed program; the receipt shows its output, steps, fault and storage changes.")

    @OptionGroup var node: TxNodeOptions
    @OptionGroup var send: TxSendOptions

    @Argument(help: "The program's address (64 hex digits).")
    var address: String

    @Option(help: "The input cells, comma-separated field elements (as many as the program's input count).")
    var input: String = ""

    @Option(help: "The step limit; the fee covers it (steps times the chain's fee per step).")
    var maxSteps: UInt64 = 100_000

    func validate() throws {
        guard Hash32(hex: address) != nil else { throw ValidationError("'\(address)' is not a program address (64 hex digits)") }
        _ = try cells()
    }

    /// The input cells, each a field element.
    func cells() throws -> [UInt32] {
        guard !input.isEmpty else { return [] }
        return try input.split(separator: ",", omittingEmptySubsequences: false).map { text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = UInt32(trimmed), value < KoalaBear.p else {
                throw ValidationError("--input: '\(trimmed)' is not a field element (0 to \(KoalaBear.p - 1))")
            }
            return value
        }
    }

    func run() throws {
        guard let program = Hash32(hex: address).map(Address.init) else { preconditionFailure("validated") }
        let (input, steps) = (try cells(), maxSteps)
        try TxSubmission.run {
            try TxSubmission.send(
                node: try node.txNode(), options: send,
                defaultFee: { preset in steps.multipliedReportingOverflow(by: preset.feePerStep.rawValue).partialValue },
                kind: { _, _ in .call(program: program, input: input, stepLimit: steps) })
        }
    }
}

/// `keel tx deposit`: a new validator.
struct TxDeposit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit",
        abstract: "Deposit stake for a new validator (its key, RANDAO commitment and proof of possession) and write its keys file.",
        discussion: """
            Without --validator-key a fresh key is made. Once the deposit is included, the validator's keys file \
            (with the index the chain gave it) is written to --keys-out with mode 0600, for 'keel node --validator-keys'. \
            The sender becomes the validator's withdrawal account.
            """)

    @OptionGroup var node: TxNodeOptions
    @OptionGroup var send: TxSendOptions

    @Option(help: "The stake, in base units (default: the chain's largest effective stake).")
    var amount: UInt64?

    @Option(help: "The validator's key file ({\"secret_key\": ...}, mode 0600); default: a fresh key.")
    var validatorKey: String?

    @Option(help: "Where to write the new validator's keys file (must not exist).")
    var keysOut: String = "new-validator-keys.json"

    func validate() throws {
        guard !FileManager.default.fileExists(atPath: keysOut) else { throw ValidationError("--keys-out: \(keysOut) exists; choose another path") }
        guard !send.noWait else { throw ValidationError("--no-wait: a deposit waits for its validator index, which its keys file needs") }
    }

    func run() throws {
        let validator = try validatorKey.map { try AccountKey.load(path: $0).secretKey } ?? Self.freshKey()
        let amount = self.amount
        try TxSubmission.run {
            let receipt = try TxSubmission.send(node: try node.txNode(), options: send) { genesis, account in
                let stake = Stake(amount ?? genesis.preset.maxEffectiveStake.rawValue)
                let commitment = DevnetGenesis.randaoChain(secretKey: validator, length: genesis.randaoChainLength).commitment
                let message = ChainState.depositMessageRoot(
                    validatorKey: validator.publicKey, withdrawalAddress: account.address, amount: stake, randaoCommitment: commitment)
                let possession = validator.sign(computeSigningRoot(message, domain: .deposit, genesisRoot: genesis.genesisRoot))
                return .deposit(validatorKey: validator.publicKey, amount: stake, randaoCommitment: commitment, proofOfPossession: possession)
            }
            guard let index = receipt?.validatorIndex else { return }
            let file = ValidatorKeysFile(entries: [ValidatorKeysFile.Entry(index: ValidatorIndex(index), secretKey: validator)])
            do { try file.write(path: keysOut) } catch { throw UsageError("\(error)") }
            TxSubmission.progress("validator \(index): keys written to \(keysOut) (mode 0600)")
        }
    }

    /// A key from the system's random source.
    static func freshKey() -> SecretKey {
        var generator = SystemRandomNumberGenerator()
        return SecretKey(seed: Hash32(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })!)
    }
}

/// `keel tx exit VALIDATOR`.
struct TxExit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exit", abstract: "Start a validator's exit; the sender must be its withdrawal account.")

    @OptionGroup var node: TxNodeOptions
    @OptionGroup var send: TxSendOptions

    @Argument(help: "The validator's index.")
    var validator: UInt64

    func run() throws {
        let index = ValidatorIndex(validator)
        try TxSubmission.run {
            try TxSubmission.send(node: try node.txNode(), options: send) { _, _ in .exit(validator: index) }
        }
    }
}

/// `keel tx status ROOT`.
struct TxStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show where a transaction stands: pending, included (with its receipt) or unknown.")

    @OptionGroup var node: TxNodeOptions

    @Argument(help: "The transaction's root (64 hex digits), as submitting printed it.")
    var root: String

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard Root(hex: root) != nil else { throw ValidationError("'\(root)' is not a transaction root (64 hex digits)") }
    }

    func run() throws {
        guard let root = Root(hex: root) else { preconditionFailure("validated") }
        let node = try node.txNode()
        try TxSubmission.run {
            let status = try blockingAwait { try await node.status(root) }
            if let receipt = status.receipt {
                if status.canonical == false { TxSubmission.progress("note: only a block off the head's chain includes it") }
                TxReceiptPrinter.print(receipt, json: json)
            } else if json {
                print(#"{"status":"\#(status.status)","transaction_root":"\#(root.hex)"}"#)
            } else {
                print("transaction \(root.hex): \(status.status)")
            }
            if status.status == "unknown" { throw ExitCode(1) }
        }
    }
}

/// `keel tx accounts`: the devnet accounts and their balances.
struct TxAccounts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "List the devnet accounts (usable with --from K) with their balances and nonces.")

    @OptionGroup var node: TxNodeOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let node = try node.txNode()
        try TxSubmission.run {
            let rows: [(UInt64, APIAccountJSON)] = try blockingAwait {
                let genesis = try await node.genesis()
                var rows: [(UInt64, APIAccountJSON)] = []
                for index in 0..<UInt64(genesis.validators.count) {
                    let key = AccountKey.devnet(index)
                    guard genesis.accounts[key.address] != nil else { continue }
                    rows.append((index, try await node.account(key.address)))
                }
                return rows
            }
            if json {
                let items = rows.map { #"{"address":"\#($0.1.address)","balance":"\#($0.1.balance)","from":\#($0.0),"nonce":\#($0.1.nonce)}"# }
                print("[" + items.joined(separator: ",") + "]")
                return
            }
            print("from  address                                                           balance  nonce")
            for (index, account) in rows {
                print("\(String(index).padding(toLength: 4, withPad: " ", startingAt: 0))  \(account.address)  \(account.balance)  \(account.nonce)")
            }
        }
    }
}
