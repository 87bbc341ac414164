import KeelChain
import KeelCrypto

/// A program deployed at genesis: its `.kvm` bytes at an address, with a name for people.
///
/// The name is not part of the chain (``GenesisConfig`` has only addresses and code, and the
/// genesis root does not cover names); it is how a genesis file says which example a program
/// is, so that tools can call `fibonacci` without copying a 64-digit address.
public struct GenesisProgram: Hashable, Sendable {
    /// The longest name accepted, in bytes.
    public static let nameByteCountMax = 64

    /// The program's name: for devnet programs, the `.kasm` file name without the extension.
    public var name: String
    /// Where the program lives in the state.
    public var address: Address
    /// The program's `.kvm` encoding (spec/VM.md section 6).
    public var code: [UInt8]

    /// Creates a program entry.
    ///
    /// - Parameters:
    ///   - name: A short printable name.
    ///   - address: The program's address.
    ///   - code: The `.kvm` bytes.
    public init(name: String, address: Address, code: [UInt8]) {
        self.name = name
        self.address = address
        self.code = code
    }

    /// SHA-256 of ``code``: KeelVM's program hash (`Program.hash`) for canonical bytes, written
    /// beside the code so people can compare programs without diffing hex.
    public var codeHash: Hash32 { SHA256.hash(code) }

    /// Whether `name` is 1 to ``nameByteCountMax`` printable ASCII characters without spaces.
    static func isValidName(_ name: String) -> Bool {
        guard !name.utf8.isEmpty, name.utf8.count <= nameByteCountMax else { return false }
        return name.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// Byte-wise order of names, then address: the order of `programs` in a file built from a
    /// config, and of `.kasm` files when they are deployed.
    static func precedes(_ lhs: GenesisProgram, _ rhs: GenesisProgram) -> Bool {
        if lhs.name != rhs.name { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
        return lhs.address < rhs.address
    }
}
