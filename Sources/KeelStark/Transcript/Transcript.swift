import KeelCrypto

/// The Fiat–Shamir transcript of spec/STARK.md §4: a SHA-256 sponge over tagged messages.
///
/// The prover and the verifier drive identical transcripts; any difference in what they absorb
/// changes every later challenge.
public struct Transcript: Sendable {
    /// The state `σ`.
    public private(set) var state: Hash32

    /// The domain separator of this system.
    public static let protocolName = "keel-stark-v1"

    public init() {
        state = SHA256.hash(Array(Transcript.protocolName.utf8))
    }

    /// `absorb(t, d)`: `σ = SHA256(σ ‖ tag(t) ‖ u32le len(d) ‖ d)`.
    public mutating func absorb(_ tag: String, _ data: [UInt8]) {
        precondition(data.count <= Int(UInt32.max), "a message longer than 2^32 bytes")
        var hasher = tagged(tag)
        hasher.update(littleEndianBytes(UInt32(data.count)))
        hasher.update(data)
        state = hasher.finalize()
    }

    /// Absorbs a commitment root.
    public mutating func absorb(_ tag: String, _ root: Hash32) {
        absorb(tag, root.bytes)
    }

    /// Absorbs extension elements in their encoding.
    public mutating func absorb(_ tag: String, _ elements: [Fp4]) {
        var writer = ProofWriter()
        for element in elements { writer.write(element) }
        absorb(tag, writer.bytes)
    }

    /// `squeeze(t)`: a word stream for drawing challenges. The transcript moves on at once, so
    /// the stream's words depend only on the state before this call.
    public mutating func squeeze(_ tag: String) -> ChallengeStream {
        let stream = ChallengeStream(prefix: tagged(tag))
        var closing = tagged(tag)
        closing.update(littleEndianBytes(UInt32.max))
        state = closing.finalize()
        return stream
    }

    /// Draws one extension element.
    public mutating func squeezeExtension(_ tag: String) -> Fp4 {
        var stream = squeeze(tag)
        return stream.nextExtension()
    }

    /// `grind(t, bits)` for the prover: finds the least passing nonce and absorbs it.
    ///
    /// - Returns: The nonce, for the proof.
    public mutating func grind(_ tag: String, bits: Int) -> UInt64 {
        precondition(bits >= 0 && bits <= 32, "grinding beyond 32 bits is not a parameter")
        var nonce: UInt64 = 0
        let prefix = tagged(tag)
        while !Transcript.passes(prefix, nonce: nonce, bits: bits) { nonce += 1 }
        absorb(tag, littleEndianBytes(nonce))
        return nonce
    }

    /// `grind(t, bits)` for the verifier: checks `nonce` and absorbs it.
    ///
    /// - Returns: Whether the nonce passes; the transcript absorbs it either way.
    public mutating func checkGrinding(_ tag: String, bits: Int, nonce: UInt64) -> Bool {
        let passes = Transcript.passes(tagged(tag), nonce: nonce, bits: bits)
        absorb(tag, littleEndianBytes(nonce))
        return passes
    }

    private func tagged(_ tag: String) -> SHA256.Hasher {
        let tagBytes = Array(tag.utf8)
        precondition(tagBytes.count <= Int(UInt8.max), "a transcript tag is at most 255 bytes")
        var hasher = SHA256.Hasher()
        hasher.update(state)
        hasher.update([UInt8(tagBytes.count)])
        hasher.update(tagBytes)
        return hasher
    }

    private static func passes(_ prefix: SHA256.Hasher, nonce: UInt64, bits: Int) -> Bool {
        guard bits > 0 else { return true }
        var hasher = prefix
        hasher.update(littleEndianBytes(nonce))
        let digest = hasher.finalize().bytes
        let leading = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return leading >> UInt32(32 - bits) == 0
    }
}

/// The words of one `squeeze`: u32 little-endian from `SHA256(σ ‖ tag(t) ‖ u32le i)`,
/// `i = 0, 1, …` (spec §4).
public struct ChallengeStream: Sendable {
    private let prefix: SHA256.Hasher
    private var block: [UInt8] = []
    private var blockIndex: UInt32 = 0
    private var offset = 32

    init(prefix: SHA256.Hasher) {
        self.prefix = prefix
    }

    /// The next word.
    public mutating func nextWord() -> UInt32 {
        if offset == 32 {
            var hasher = prefix
            hasher.update(littleEndianBytes(blockIndex))
            block = hasher.finalize().bytes
            blockIndex += 1
            offset = 0
        }
        let word = UInt32(block[offset]) | UInt32(block[offset + 1]) << 8
            | UInt32(block[offset + 2]) << 16 | UInt32(block[offset + 3]) << 24
        offset += 4
        return word
    }

    /// A base-field sample: `w & 0x7fffffff`, rejected while `≥ p`.
    public mutating func nextBase() -> Fp {
        while true {
            if let element = Fp(checking: nextWord() & 0x7fff_ffff) { return element }
        }
    }

    /// An extension sample: four base samples.
    public mutating func nextExtension() -> Fp4 {
        let c0 = nextBase(), c1 = nextBase(), c2 = nextBase(), c3 = nextBase()
        return Fp4(c0, c1, c2, c3)
    }

    /// An index in `[0, 2^logSize)`.
    public mutating func nextIndex(logSize: Int) -> Int {
        precondition(logSize >= 0 && logSize <= 32, "an index domain of at most 2^32")
        return Int(UInt64(nextWord()) & ((UInt64(1) << UInt64(logSize)) - 1))
    }
}

/// The little-endian bytes of a fixed-width integer.
func littleEndianBytes<Integer: FixedWidthInteger>(_ value: Integer) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
