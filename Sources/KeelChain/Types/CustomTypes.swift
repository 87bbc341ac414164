import KeelCrypto

/// A 64-bit spec type kept distinct from raw integers (consensus-specs "Custom types").
/// Arithmetic on untrusted values goes through the checked helpers of `SafeArithmetic`.
public protocol UInt64Wrapper: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral where IntegerLiteralType == UInt64 {
    var rawValue: UInt64 { get }
    init(_ rawValue: UInt64)
}

extension UInt64Wrapper {
    public init(integerLiteral value: UInt64) { self.init(value) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// A slot number, counted from genesis.
public struct Slot: UInt64Wrapper {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// An epoch number, counted from genesis.
public struct Epoch: UInt64Wrapper {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// An index into the validator registry.
public struct ValidatorIndex: UInt64Wrapper {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// An amount of stake or balance, in base units (`Preset.stakeUnit` base units make one unit).
public struct Stake: UInt64Wrapper {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static let zero = Stake(0)
}

/// A 32-byte hash root of an object (SHA-256 over its canonical encoding).
public typealias Root = Hash32

/// The address of an account or a program: an account's address is its owner's x-only public
/// key; a program's is derived from its deployer and nonce (`Address.program`).
public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hash: Hash32
    public init(_ hash: Hash32) { self.hash = hash }
    public init(_ key: PublicKey) { self.hash = Hash32(bytes: key.bytes)! }
    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.hash < rhs.hash }
    public var description: String { hash.hex }

    /// The address of the program deployed by `deployer` with transaction nonce `nonce`.
    public static func program(deployer: Address, nonce: UInt64) -> Address {
        var hasher = SHA256.Hasher()
        hasher.update(Array("keel/program-address".utf8))
        hasher.update(deployer.hash)
        hasher.update(withUnsafeBytes(of: nonce.littleEndian, Array.init))
        return Address(hasher.finalize())
    }
}
