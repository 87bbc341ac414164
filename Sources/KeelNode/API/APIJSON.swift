import Foundation
import Hummingbird
import KeelChain
import KeelCrypto
import NIOCore

/// How the HTTP API writes JSON.
///
/// Conventions (README, "HTTP API"): keys are snake_case and sorted; roots, keys, signatures and
/// encodings are lowercase hex *without* a `0x` prefix (requests accept either); slots, epochs,
/// indices and nonces are JSON numbers; balances, stakes and fees are decimal strings, because a
/// 64-bit amount can exceed 2^53 and lose digits in JavaScript; an epoch that is "far future"
/// (`UInt64.max`) is `null`.
enum APIJSON {
    /// The media type of every JSON response.
    static let contentType = "application/json; charset=utf-8"

    /// The encoder: snake_case keys, sorted so responses are byte-for-byte reproducible.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A JSON response.
    ///
    /// - Parameters:
    ///   - value: The body.
    ///   - status: The status, 200 unless told.
    /// - Returns: The response, with `Content-Type: application/json`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try makeEncoder().encode(value)
        } catch {
            preconditionFailure("encoding API JSON (strings, numbers, booleans) cannot fail: \(error)")
        }
        precondition(data.first == UInt8(ascii: "{"), "every API response is a JSON object")
        return Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The JSON response of an error: `{"error": "<message>"}` with the error's status.
    static func error(_ error: APIError) -> Response {
        response(APIErrorJSON(error: error.message), status: error.status)
    }

    /// `value` as one line of JSON, for an event's `data`.
    static func compactJSON(_ value: any Encodable) -> String {
        do {
            return String(decoding: try makeEncoder().encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("encoding API JSON (strings, numbers, booleans) cannot fail: \(error)")
        }
    }

    /// An amount as a decimal string.
    static func amount(_ stake: Stake) -> String { String(stake.rawValue) }

    /// An epoch as a number, or `nil` for `farFutureEpoch`.
    static func epoch(_ epoch: Epoch) -> UInt64? {
        epoch == Constants.farFutureEpoch ? nil : epoch.rawValue
    }
}

// MARK: - Node and chain

struct APIHealthJSON: Encodable {
    var status: String
    var syncing: Bool
}

struct APIIdentityJSON: Encodable {
    var nodeId: String
    var version: String
    var listenAddress: String
    var peerCount: Int
    var validatorCount: Int
    var syncing: Bool
    var genesisRoot: String
    var testnetApis: [String]

    init(_ identity: NodeIdentity, genesisRoot: Root) {
        nodeId = identity.nodeID
        version = identity.version
        listenAddress = identity.listenAddress
        peerCount = identity.peerCount
        validatorCount = identity.validatorCount
        syncing = identity.isSyncing
        self.genesisRoot = genesisRoot.hex
        testnetApis = identity.testnetAPIs
    }
}

// MARK: - Validators

struct APIValidatorJSON: Encodable {
    var index: UInt64
    var publicKey: String
    var withdrawalAddress: String
    var balance: String
    var effectiveStake: String
    var status: APIValidatorStatus
    var slashed: Bool
    var activationEligibilityEpoch: UInt64?
    var activationEpoch: UInt64?
    var exitEpoch: UInt64?
    var withdrawableEpoch: UInt64?

    init(index: ValidatorIndex, validator: Validator, epoch: Epoch) {
        self.index = index.rawValue
        publicKey = validator.publicKey.hex
        withdrawalAddress = validator.withdrawalAddress.hash.hex
        balance = APIJSON.amount(validator.balance)
        effectiveStake = APIJSON.amount(validator.effectiveStake)
        status = APIValidatorStatus(validator, epoch: epoch)
        slashed = validator.slashed
        activationEligibilityEpoch = APIJSON.epoch(validator.activationEligibilityEpoch)
        activationEpoch = APIJSON.epoch(validator.activationEpoch)
        exitEpoch = APIJSON.epoch(validator.exitEpoch)
        withdrawableEpoch = APIJSON.epoch(validator.withdrawableEpoch)
    }

    // Written out so that far-future epochs appear as `null` rather than being left out.
    enum CodingKeys: String, CodingKey {
        case index, publicKey, withdrawalAddress, balance, effectiveStake, status, slashed
        case activationEligibilityEpoch, activationEpoch, exitEpoch, withdrawableEpoch
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(publicKey, forKey: .publicKey)
        try container.encode(withdrawalAddress, forKey: .withdrawalAddress)
        try container.encode(balance, forKey: .balance)
        try container.encode(effectiveStake, forKey: .effectiveStake)
        try container.encode(status, forKey: .status)
        try container.encode(slashed, forKey: .slashed)
        try container.encode(activationEligibilityEpoch, forKey: .activationEligibilityEpoch)
        try container.encode(activationEpoch, forKey: .activationEpoch)
        try container.encode(exitEpoch, forKey: .exitEpoch)
        try container.encode(withdrawableEpoch, forKey: .withdrawableEpoch)
    }
}

struct APIValidatorListJSON: Encodable {
    var epoch: UInt64
    var total: Int
    var validators: [APIValidatorJSON]
}

/// A validator's life-cycle stage at an epoch, as the API reports it.
///
/// `slashed` takes precedence over the others; then `pending` (not yet active), `exited` (exit
/// epoch reached), `exiting` (active with an exit epoch set) and `active`.
enum APIValidatorStatus: String, Encodable, Hashable, Sendable {
    case pending, active, exiting, exited, slashed

    init(_ validator: Validator, epoch: Epoch) {
        if validator.slashed {
            self = .slashed
        } else if epoch < validator.activationEpoch {
            self = .pending
        } else if validator.exitEpoch <= epoch {
            self = .exited
        } else if validator.exitEpoch != Constants.farFutureEpoch {
            self = .exiting
        } else {
            self = .active
        }
    }
}

// MARK: - Accounts and transactions

/// The body of `POST /transactions`.
struct APITransactionSubmissionJSON: Decodable {
    var transaction: String
}

struct APITransactionAcceptedJSON: Encodable {
    var root: String
}

struct APISubmissionErrorJSON: Encodable {
    var error: String
    /// `invalid`, `pool_full` or `syncing`.
    var reason: String
}
