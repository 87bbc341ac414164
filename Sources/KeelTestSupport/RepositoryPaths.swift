import Foundation

/// Where the repository's own files are, for tests and tools that read committed data
/// (example programs, reference vectors in `../shared/vectors`).
public enum RepositoryPaths {
    /// The repository root, found from this file's location: `<root>/Sources/KeelTestSupport/`.
    public static let root: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `Genesis/programs`, the example programs.
    public static var programs: String { root + "/Genesis/programs" }

    /// `../shared/vectors`, the reference test vectors kept beside the repository.
    public static var vectors: String { root + "/../shared/vectors" }

    /// The text of an example program, `Genesis/programs/NAME.kasm`.
    public static func programSource(_ name: String) throws -> String {
        try String(contentsOfFile: programs + "/\(name).kasm", encoding: .utf8)
    }
}
