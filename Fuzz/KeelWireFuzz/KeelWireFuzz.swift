import KeelChain
import KeelNode
import NIOCore

/// Fuzzes what a peer can send: `WireMessage` payloads and the framed byte stream
/// (Sources/KeelNode/P2P), through `FrameAccumulator`, which runs the connection pipeline's own
/// `FrameDecoder.readFrame` without a channel.
///
/// Input layout: byte 0 selects the mode.
/// - even: the rest is one message payload. If `WireMessage(decoding:)` accepts it,
///   re-encoding gives the same bytes, decoding that gives an equal message, and the
///   `hashTreeRoot` of every consensus object inside does not crash.
/// - odd: the rest is a byte stream, fed to a `FrameAccumulator` in pieces whose sizes come
///   from byte 0's upper bits (1, 2, 3, ... 128 bytes, so frames split across reads are
///   exercised). Until the first `FrameError`, the frames of the messages returned, re-encoded
///   with `FrameEncoder`, must be exactly the bytes consumed so far (stream length minus what
///   the accumulator still buffers); the buffered rest is never more than the input.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes[0] & 1 == 0 {
        payload(bytes[1...])
    } else {
        stream(bytes[1...], piece: Int(bytes[0] >> 1) + 1)
    }
    return 0
}

private func payload(_ bytes: ArraySlice<UInt8>) {
    let message: WireMessage
    do {
        message = try WireMessage(decoding: bytes)
    } catch {
        _ = error.description
        return
    }
    let encoded = message.encoded
    precondition(encoded.elementsEqual(bytes), "re-encoding changed the bytes of \(message)")
    guard let again = try? WireMessage(decoding: encoded) else { preconditionFailure("its own encoding does not decode") }
    precondition(again == message, "decode(encode(m)) != m")
    touchRoots(message)
}

private func stream(_ bytes: ArraySlice<UInt8>, piece: Int) {
    var accumulator = FrameAccumulator()
    var expected: [UInt8] = []
    var fed = 0
    var start = bytes.startIndex
    while start < bytes.endIndex {
        let end = min(start + piece, bytes.endIndex)
        let messages: [WireMessage]
        do {
            messages = try accumulator.append(bytes[start..<end])
        } catch {
            _ = error.description
            return
        }
        fed += end - start
        for message in messages {
            let frame = FrameEncoder.frame(message)
            expected += frame.getBytes(at: frame.readerIndex, length: frame.readableBytes) ?? []
            touchRoots(message)
        }
        precondition(accumulator.bufferedByteCount <= fed, "buffers more than it was given")
        let consumed = fed - accumulator.bufferedByteCount
        precondition(consumed == expected.count, "frames consumed \(consumed) bytes, their re-encoding is \(expected.count)")
        precondition(
            expected.elementsEqual(bytes[bytes.startIndex..<(bytes.startIndex + consumed)]),
            "re-framing the decoded messages changed the bytes")
        start = end
    }
}

private func touchRoots(_ message: WireMessage) {
    switch message {
    case .block(let block): _ = block.hashTreeRoot; _ = block.message.hashTreeRoot
    case .attestation(let attestation): _ = attestation.hashTreeRoot
    case .proposerSlashing(let slashing): _ = slashing.hashTreeRoot
    case .attesterSlashing(let slashing): _ = slashing.hashTreeRoot
    case .transaction(let transaction): _ = transaction.hashTreeRoot
    case .blocksResponse(_, let blocks): for block in blocks { _ = block.message.hashTreeRoot }
    default: break
    }
}
