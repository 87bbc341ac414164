#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Data parallelism for the prover: independent columns or disjoint index ranges on every core.
/// Results never depend on scheduling, so proofs stay deterministic.
enum Parallel {
    /// The number of worker slices: the machine's cores.
    static let width = max(1, sysconfWorkers())

    /// `transform` of each element, computed concurrently, in order.
    static func map<Element: Sendable, Result>(_ elements: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        guard elements.count > 1 else { return elements.map(transform) }
        var results = [Result?](repeating: nil, count: elements.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableBufferPointerBox(buffer)
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                output.buffer[index] = transform(elements[index])
            }
        }
        return results.map { $0! }
    }

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently.
    static func forRanges(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let slices = min(width, max(1, count / 1024))
        guard slices > 1 else { return body(0..<count) }
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            body((count * slice / slices)..<(count * (slice + 1) / slices))
        }
    }

    private static func sysconfWorkers() -> Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 2
        #endif
    }
}

/// Lets concurrent iterations write disjoint slots of one buffer.
struct UnsafeMutableBufferPointerBox<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
