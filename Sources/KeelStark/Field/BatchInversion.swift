/// Montgomery's trick: inverts `n` elements with one inversion and `3(n − 1)` multiplications.
/// Every input must be nonzero: the callers invert differences between a domain point and a
/// point known to lie off that domain.
enum BatchInversion {
    static func invert<Element: FieldElement>(_ values: [Element]) -> [Element] {
        guard !values.isEmpty else { return [] }
        var prefix = [Element](repeating: .one, count: values.count)
        var running = Element.one
        for index in values.indices {
            prefix[index] = running
            running = running * values[index]
        }
        precondition(running != .zero, "batch inversion of a zero")
        var inverse = running.inverse()
        var result = [Element](repeating: .zero, count: values.count)
        for index in values.indices.reversed() {
            result[index] = inverse * prefix[index]
            inverse = inverse * values[index]
        }
        return result
    }
}
