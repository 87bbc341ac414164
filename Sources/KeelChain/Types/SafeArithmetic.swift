/// An overflow or underflow on untrusted values: the object being processed is invalid.
public enum ArithmeticError: Error, Hashable, Sendable {
    case overflow
    case underflow
    case divisionByZero
}

/// Checked arithmetic that throws instead of trapping (Lighthouse's `safe_arith`): consensus
/// code must reject an invalid block, never crash on one.
extension UInt64Wrapper {
    @inline(__always)
    public func safeAdd(_ other: Self) throws(ArithmeticError) -> Self {
        let (sum, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        guard !overflow else { throw .overflow }
        return Self(sum)
    }

    @inline(__always)
    public func safeSub(_ other: Self) throws(ArithmeticError) -> Self {
        let (difference, overflow) = rawValue.subtractingReportingOverflow(other.rawValue)
        guard !overflow else { throw .underflow }
        return Self(difference)
    }

    @inline(__always)
    public func safeMul(_ factor: UInt64) throws(ArithmeticError) -> Self {
        let (product, overflow) = rawValue.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .overflow }
        return Self(product)
    }

    @inline(__always)
    public func safeDiv(_ divisor: UInt64) throws(ArithmeticError) -> Self {
        guard divisor != 0 else { throw .divisionByZero }
        return Self(rawValue / divisor)
    }

    /// `self - other`, or zero when `other` is larger (phase0 `decrease_balance`).
    @inline(__always)
    public func saturatingSub(_ other: Self) -> Self {
        rawValue > other.rawValue ? Self(rawValue - other.rawValue) : Self(0)
    }
}
