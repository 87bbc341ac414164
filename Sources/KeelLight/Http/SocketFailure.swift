#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Turns NIO's socket errors into the few words a user needs ("connection refused").
///
/// NIO's own descriptions name syscalls and errno numbers ("connect(descriptor:addr:size:):
/// Connection refused (errno: 111)"), which say more about NIO than about the node.
enum SocketFailure {
    /// Why a connection attempt failed, for ``LightHTTPError/cannotConnect(address:reason:)``.
    ///
    /// - Parameters:
    ///   - error: What `ClientBootstrap.connect` failed with (not a connect timeout, which the
    ///     client reports as a timeout).
    ///   - host: The host the client tried.
    /// - Returns: A lowercase reason without a trailing period.
    static func reason(connecting error: any Error, host: String) -> String {
        if let error = error as? NIOConnectionError {
            // Happy Eyeballs tries each resolved address; the first failure stands for them all,
            // since on a loopback or a LAN they all fail alike.
            if let first = error.connectionErrors.first { return reason(connecting: first.error, host: host) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve host \"\(host)\"" }
            return "host \"\(host)\" has no address"
        }
        if let error = error as? IOError { return reason(errno: error.errnoCode) }
        if error is SocketAddressError { return "cannot resolve host \"\(host)\"" }
        return "\(error)"
    }

    /// Words for the errno values a client meets, and the C library's text for the rest.
    ///
    /// - Parameter errno: An `errno` value from a failed socket call.
    /// - Returns: A lowercase reason without a trailing period.
    static func reason(errno: CInt) -> String {
        switch errno {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by the node"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case EPIPE: return "the node closed the connection"
        default:
            guard let text = strerror(errno) else { return "socket error \(errno)" }
            return String(cString: text).lowercased() + " (errno \(errno))"
        }
    }
}
