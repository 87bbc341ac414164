import KeelChain
import KeelCrypto

extension WireMessage {
    /// The one-byte tags of the encoding, in case order. Tags are never reused.
    enum Tag: UInt8 {
        case hello = 0
        case goodbye = 1
        case ping = 2
        case pong = 3
        case block = 4
        case attestation = 5
        case proposerSlashing = 6
        case attesterSlashing = 7
        case transaction = 8
        case blocksByRangeRequest = 9
        case blocksByRootRequest = 10
        case blocksResponse = 11
    }

    /// The smallest encoding of a signed block: a block with an empty body and its signature.
    static let signedBlockByteCountMin = 8 + 8 + 32 + 32 + 32 + 4 * 4 + 64

    /// The message's canonical encoding: its tag, then its fields.
    public var encoded: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.finish()
    }

    /// Appends the canonical encoding to `writer`.
    ///
    /// - Parameter writer: The buffer to append to.
    public func encode(to writer: inout ByteWriter) {
        switch self {
        case .hello(let hello):
            writer.write(Tag.hello.rawValue)
            writer.write(hello.protocolVersion)
            writer.write(hello.genesisRoot)
            writer.write(hello.status.headRoot)
            writer.write(hello.status.headSlot.rawValue)
            hello.status.finalized.encode(to: &writer)
            writer.write(hello.nodeID)
            writer.write(UInt32(hello.listenPort))
        case .goodbye(let reason):
            writer.write(Tag.goodbye.rawValue)
            writer.write(reason.code)
        case .ping(let nonce):
            writer.write(Tag.ping.rawValue)
            writer.write(nonce)
        case .pong(let nonce):
            writer.write(Tag.pong.rawValue)
            writer.write(nonce)
        case .block(let block):
            writer.write(Tag.block.rawValue)
            block.encode(to: &writer)
        case .attestation(let attestation):
            writer.write(Tag.attestation.rawValue)
            attestation.encode(to: &writer)
        case .proposerSlashing(let slashing):
            writer.write(Tag.proposerSlashing.rawValue)
            slashing.encode(to: &writer)
        case .attesterSlashing(let slashing):
            writer.write(Tag.attesterSlashing.rawValue)
            slashing.encode(to: &writer)
        case .transaction(let transaction):
            writer.write(Tag.transaction.rawValue)
            transaction.encode(to: &writer)
        case .blocksByRangeRequest(let requestID, let startSlot, let count):
            writer.write(Tag.blocksByRangeRequest.rawValue)
            writer.write(requestID)
            writer.write(startSlot.rawValue)
            writer.write(count)
        case .blocksByRootRequest(let requestID, let roots):
            writer.write(Tag.blocksByRootRequest.rawValue)
            writer.write(requestID)
            writer.writeCount(roots.count)
            for root in roots {
                writer.write(root)
            }
        case .blocksResponse(let requestID, let blocks):
            writer.write(Tag.blocksResponse.rawValue)
            writer.write(requestID)
            writer.writeList(blocks)
        }
    }

    /// Decodes exactly one message from `bytes`.
    ///
    /// - Parameter bytes: The whole payload of a frame.
    /// - Throws: ``DecodingError`` naming the first rule broken: an unknown tag, a list over its
    ///   ``WireLimits`` limit, a range request for more than ``WireLimits/responseBlockCountMax``
    ///   blocks, a field that does not decode, or trailing bytes.
    public init(decoding bytes: some Collection<UInt8>) throws(DecodingError) {
        var reader = ByteReader(Array(bytes))
        self = try WireMessage(from: &reader)
        try reader.expectEnd(of: "WireMessage")
    }

    /// Reads one message from `reader`, leaving the cursor just past it.
    ///
    /// - Throws: ``DecodingError`` naming the first rule broken.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let rawTag = try reader.readUInt8("WireMessage.tag")
        guard let tag = Tag(rawValue: rawTag) else {
            throw .unknownTag(type: "WireMessage", tag: rawTag)
        }
        switch tag {
        case .hello: self = .hello(try Self.readHello(&reader))
        case .goodbye: self = .goodbye(GoodbyeReason(code: try reader.readUInt8("goodbye.reason")))
        case .ping: self = .ping(try reader.readUInt64("ping.nonce"))
        case .pong: self = .pong(try reader.readUInt64("pong.nonce"))
        case .block: self = .block(try SignedBlock(from: &reader))
        case .attestation: self = .attestation(try Attestation(from: &reader))
        case .proposerSlashing: self = .proposerSlashing(try ProposerSlashing(from: &reader))
        case .attesterSlashing: self = .attesterSlashing(try AttesterSlashing(from: &reader))
        case .transaction: self = .transaction(try SignedTransaction(from: &reader))
        case .blocksByRangeRequest: self = try Self.readRangeRequest(&reader)
        case .blocksByRootRequest: self = try Self.readRootRequest(&reader)
        case .blocksResponse:
            let requestID = try reader.readUInt64("blocksResponse.requestID")
            let blocks = try reader.readList(
                "blocksResponse.blocks", of: SignedBlock.self, limit: WireLimits.responseBlockCountMax,
                elementByteCountMin: Self.signedBlockByteCountMin)
            self = .blocksResponse(requestID: requestID, blocks: blocks)
        }
    }

    private static func readHello(_ reader: inout ByteReader) throws(DecodingError) -> Hello {
        let version = try reader.readUInt8("hello.protocolVersion")
        let genesisRoot = try reader.readHash32("hello.genesisRoot")
        let headRoot = try reader.readHash32("hello.headRoot")
        let headSlot = Slot(try reader.readUInt64("hello.headSlot"))
        let finalized = try Checkpoint(from: &reader)
        let nodeID = try reader.readUInt64("hello.nodeID")
        let port = try reader.readUInt32("hello.listenPort")
        guard port <= UInt32(UInt16.max) else {
            throw .invalidValue(field: "hello.listenPort", reason: "port \(port) is above 65535")
        }
        return Hello(
            protocolVersion: version, genesisRoot: genesisRoot,
            status: ChainStatus(headRoot: headRoot, headSlot: headSlot, finalized: finalized), nodeID: nodeID,
            listenPort: UInt16(port))
    }

    private static func readRangeRequest(_ reader: inout ByteReader) throws(DecodingError) -> WireMessage {
        let requestID = try reader.readUInt64("blocksByRangeRequest.requestID")
        let startSlot = Slot(try reader.readUInt64("blocksByRangeRequest.startSlot"))
        let count = try reader.readUInt64("blocksByRangeRequest.count")
        guard count <= WireLimits.responseBlockCountMax else {
            throw .listTooLong(field: "blocksByRangeRequest.count", count: count, limit: WireLimits.responseBlockCountMax)
        }
        guard startSlot.rawValue <= UInt64.max - count else {
            throw .invalidValue(field: "blocksByRangeRequest.count", reason: "the range passes the last slot")
        }
        return .blocksByRangeRequest(requestID: requestID, startSlot: startSlot, count: count)
    }

    private static func readRootRequest(_ reader: inout ByteReader) throws(DecodingError) -> WireMessage {
        let requestID = try reader.readUInt64("blocksByRootRequest.requestID")
        let count = try reader.readCount(
            "blocksByRootRequest.roots", limit: WireLimits.requestRootCountMax, elementByteCountMin: Hash32.byteCount)
        var roots: [Root] = []
        // Safe to reserve: `readCount` checked the limit and that the input holds every root.
        roots.reserveCapacity(count)
        for _ in 0..<count {
            roots.append(try reader.readHash32("blocksByRootRequest.root"))
        }
        return .blocksByRootRequest(requestID: requestID, roots: roots)
    }
}
