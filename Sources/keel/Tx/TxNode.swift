import Foundation
import KeelChain
import KeelCrypto
import KeelFormats
import KeelLight

/// A node's API as `keel tx` uses it: the chain's genesis (for its root and preset), account
/// state, submission and receipts. Every failure is a ``TxError``.
struct TxNode: Sendable {
    let client: LightHTTPClient

    init(url: NodeURL) {
        client = LightHTTPClient(baseURL: url, timeout: .seconds(10))
    }

    /// The genesis file the node runs.
    func genesis() async throws -> GenesisFile {
        let response = try await request { () async throws(LightHTTPError) in try await client.get("/genesis") }
        guard response.isSuccess else { throw TxError.node("GET /genesis: \(LightHTTPClient.errorMessage(response))") }
        do { return try GenesisFile.decode(json: Data(response.body)) } catch {
            throw TxError.node("GET /genesis: not a genesis file: \(error)")
        }
    }

    /// The account at `address` at the node's head.
    func account(_ address: Address) async throws -> APIAccountJSON {
        try await getJSON("/accounts/\(address.hash.hex)", as: APIAccountJSON.self)
    }

    /// Submits `transaction`; returns its root.
    ///
    /// - Throws: ``TxError/refused(_:)`` with the node's reason when the node refuses it.
    func submit(_ transaction: SignedTransaction) async throws -> Root {
        let body = Array(#"{"transaction":"\#(Hex.encode(transaction.encoded))"}"#.utf8)
        let response = try await request { () async throws(LightHTTPError) in try await client.post("/transactions", json: body) }
        guard response.isSuccess else {
            throw TxError.refused(LightHTTPClient.errorMessage(response))
        }
        struct Accepted: Decodable { var root: String }
        guard let accepted = try? JSONDecoder().decode(Accepted.self, from: Data(response.body)), let root = Root(hex: accepted.root) else {
            throw TxError.node("POST /transactions: the answer names no root")
        }
        return root
    }

    /// Where transaction `root` stands.
    func status(_ root: Root) async throws -> APITransactionStatusJSON {
        let response = try await request { () async throws(LightHTTPError) in try await client.get("/transactions/\(root.hex)") }
        guard response.isSuccess || response.status == 404 else {
            throw TxError.node("GET /transactions/\(root.hex): \(LightHTTPClient.errorMessage(response))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(APITransactionStatusJSON.self, from: Data(response.body)) } catch {
            throw TxError.node("GET /transactions/\(root.hex): not a transaction status: \(error)")
        }
    }

    func getJSON<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await request { () async throws(LightHTTPError) in try await client.getJSON(path, as: type) }
    }

    private func request<T>(_ body: () async throws(LightHTTPError) -> T) async throws -> T {
        do { return try await body() } catch { throw TxError.node("\(error)") }
    }
}

/// Why `keel tx` failed: exit status 1, one line.
enum TxError: Error, CustomStringConvertible {
    /// The node refused the transaction, with its reason.
    case refused(String)
    /// The node could not be reached or answered nonsense.
    case node(String)
    /// Waiting for inclusion timed out.
    case notIncluded(root: Root, seconds: Int)

    var description: String {
        switch self {
        case let .refused(reason): "the node refused the transaction: \(reason)"
        case let .node(reason): reason
        case let .notIncluded(root, seconds):
            "transaction \(root.hex) was not included within \(seconds) s (still pending; see 'keel tx status \(root.hex)')"
        }
    }
}
