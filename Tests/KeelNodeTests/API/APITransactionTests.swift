import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import NIOCore
import XCTest

/// `POST /transactions`: accepted, rejected by the node, and every malformed body.
final class APITransactionTests: XCTestCase {
    private var fixture: APIFixture { APIFixture.shared }

    private static func submission(_ transaction: SignedTransaction) -> ByteBuffer {
        jsonBody(["transaction": Hex.encode(transaction.encoded)])
    }

    func testAcceptedTransactionAnswers202WithItsRoot() async throws {
        let transaction = fixture.pendingTransfer
        let received = ReceivedTransactions()
        let view = fixture.view.submitting { submitted in
            received.append(submitted)
            return .success(submitted.hashTreeRoot)
        }
        try await withAPI(view: view) { client in
            let response = try await client.execute(
                uri: "/transactions", method: .post, headers: [.contentType: "application/json"],
                body: Self.submission(transaction))
            XCTAssertEqual(response.status, .accepted, response.text)
            XCTAssertEqual(try response.json()["root"] as? String, transaction.hashTreeRoot.hex)
            let prefixed = jsonBody(["transaction": "0x" + Hex.encode(transaction.encoded)])
            let second = try await client.execute(uri: "/transactions", method: .post, body: prefixed)
            XCTAssertEqual(second.status, .accepted, second.text)
        }
        XCTAssertEqual(received.all, [transaction, transaction])
    }

    func testRejectedTransactionAnswers422WithTheReason() async throws {
        let cases: [(TransactionSubmissionError, String)] = [
            (.rejected(.staleNonce(got: 1, expected: 2)), "stale_nonce"), (.rejected(.badSignature), "bad_signature"),
            (.poolFull, "pool_full"),
            (.syncing, "syncing"),
        ]
        for (error, reason) in cases {
            let view = fixture.view.submitting { _ in .failure(error) }
            try await withAPI(view: view) { client in
                let response = try await client.execute(
                    uri: "/transactions", method: .post, body: Self.submission(APIFixture.shared.pendingTransfer))
                try assertAPIError(response, .unprocessableContent, containing: error.description)
                XCTAssertEqual(try response.json()["reason"] as? String, reason)
            }
        }
    }

    func testMalformedBodiesAnswer400() async throws {
        var truncated = fixture.pendingTransfer.encoded
        truncated.removeLast()
        let bodies: [(ByteBuffer, String)] = [
            (ByteBuffer(string: "not json"), "JSON object"),
            (ByteBuffer(string: "[]"), "JSON object"),
            (ByteBuffer(), "JSON object"),
            (jsonBody(["tx": "00"]), "JSON object"),
            (jsonBody(["transaction": 5]), "JSON object"),
            (jsonBody(["transaction": "zz"]), "not hex"),
            (jsonBody(["transaction": "abc"]), "not hex"),
            (jsonBody(["transaction": ""]), "undecodable transaction"),
            (jsonBody(["transaction": Hex.encode(truncated)]), "undecodable transaction: truncated"),
            (jsonBody(["transaction": Hex.encode(APIFixture.shared.pendingTransfer.encoded + [0])]), "trailing"),
        ]
        try await withAPI { client in
            for (body, fragment) in bodies {
                let response = try await client.execute(uri: "/transactions", method: .post, body: body)
                try assertAPIError(response, .badRequest, containing: fragment)
            }
        }
    }

    func testOversizeBodyAnswers413() async throws {
        let limit = 4096
        let small = jsonBody(["transaction": Hex.encode(fixture.pendingTransfer.encoded)])
        XCTAssertLessThan(small.readableBytes, limit)
        let large = jsonBody(["transaction": String(repeating: "00", count: limit)])
        XCTAssertGreaterThan(large.readableBytes, limit)
        try await withAPI(requestBodyBytesMax: limit) { client in
            let accepted = try await client.execute(uri: "/transactions", method: .post, body: small)
            XCTAssertEqual(accepted.status, .accepted)
            try assertAPIError(
                try await client.execute(uri: "/transactions", method: .post, body: large), .contentTooLarge)
        }
        let overDefault = ByteBuffer(repeating: UInt8(ascii: "0"), count: APIServer.requestBodyBytesMax + 1)
        try await withAPI { client in
            try assertAPIError(
                try await client.execute(uri: "/transactions", method: .post, body: overDefault), .contentTooLarge)
        }
    }
}

/// Transactions a fake view received, in order.
final class ReceivedTransactions: @unchecked Sendable {
    private let lock = NSLock()
    private var transactions: [SignedTransaction] = []

    func append(_ transaction: SignedTransaction) {
        lock.lock()
        defer { lock.unlock() }
        transactions.append(transaction)
    }

    var all: [SignedTransaction] {
        lock.lock()
        defer { lock.unlock() }
        return transactions
    }
}
