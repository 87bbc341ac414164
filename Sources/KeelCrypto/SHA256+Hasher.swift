import COpenSSL

extension SHA256 {
    /// An incremental SHA-256 computation, for inputs that arrive in pieces (an encoder writing
    /// field by field, a large file in chunks) and should not be concatenated first.
    ///
    /// A `Hasher` is a value: copying it forks the computation, which lets a caller hash a common
    /// prefix once and finish it several ways.
    ///
    /// - Important: A single `Hasher` value must not be mutated from two threads at once (as
    ///   with any Swift value); separate hashers are independent.
    public struct Hasher: Sendable {
        /// OpenSSL's plain-data SHA-256 state (no pointers), so copying it is a correct fork.
        private var context: SHA256_CTX

        /// Starts a computation over the empty input.
        public init() {
            var context = SHA256_CTX()
            precondition(SHA256_Init(&context) == 1, "SHA256_Init cannot fail")
            self.context = context
        }

        /// Appends bytes to the input.
        ///
        /// - Parameter bytes: The next bytes of the input; arrays and slices are read in place.
        public mutating func update(_ bytes: some Collection<UInt8>) {
            let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                update(bytes: UnsafeRawBufferPointer(buffer))
            }
            if done == nil {
                Array(bytes).withUnsafeBytes { update(bytes: $0) }
            }
        }

        /// Appends an array to the input without generic dispatch.
        ///
        /// - Parameter bytes: The next bytes of the input.
        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update(bytes: $0) }
        }

        /// Appends a 32-byte value (a root, a key) without copying it into an array.
        ///
        /// - Parameter hash: The next 32 bytes of the input.
        public mutating func update(_ hash: Hash32) {
            hash.withUnsafeBytes { update(bytes: $0) }
        }

        /// Appends raw memory to the input.
        ///
        /// - Parameter bytes: The next bytes of the input; only read during the call.
        public mutating func update(bytes: UnsafeRawBufferPointer) {
            let status = SHA256_Update(&context, bytes.baseAddress, bytes.count)
            precondition(status == 1, "SHA256_Update cannot fail on an initialised context")
        }

        /// The digest of everything appended so far.
        ///
        /// The hasher itself is left unchanged, so more bytes may be appended afterwards and
        /// finalizing twice gives the same digest.
        ///
        /// - Returns: The 32-byte digest.
        public func finalize() -> Hash32 {
            var finished = context
            return SHA256.finalize(&finished)
        }
    }
}
