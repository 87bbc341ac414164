import Foundation

/// Loopback TCP ports that are free right now: each is bound to port 0 (the kernel picks),
/// read back, and released once all are picked, so the ports are distinct. For `keel testnet`
/// and tests; another process may still take a port before it is used.
public enum FreePorts {
    /// Why no port could be picked.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `count` distinct free ports on 127.0.0.1.
    public static func take(_ count: Int) throws(Failure) -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "cannot pick a free port: socket: \(String(cString: strerror(errno)))") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw Failure(description: "cannot pick a free port: bind: \(String(cString: strerror(errno)))") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
