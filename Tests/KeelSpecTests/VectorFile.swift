import Foundation
import KeelTestSupport
import XCTest

/// A phase0 vector file of `<repo>/../shared/vectors`: a note on how to read it, the function
/// it exercises, and its cases.
struct VectorFile<Case: Decodable>: Decodable {
    let note: String
    let function: String
    let cases: [Case]

    /// Loads `name` from `RepositoryPaths.vectors`, failing the calling test loudly (never
    /// skipping it) when the file is missing, unreadable or has no cases.
    static func load(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> VectorFile {
        try load(name, decoder: JSONDecoder(), file: file, line: line)
    }

    /// `load`, reading the file's `snake_case` keys into `camelCase` properties.
    static func loadSnakeCase(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> VectorFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try load(name, decoder: decoder, file: file, line: line)
    }

    private static func load(_ name: String, decoder: JSONDecoder, file: StaticString, line: UInt) throws -> VectorFile {
        let path = RepositoryPaths.vectors + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("vector file missing or unreadable at \(path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let vectors = try decoder.decode(VectorFile.self, from: data)
        XCTAssertFalse(vectors.cases.isEmpty, "no cases in \(path)", file: file, line: line)
        return vectors
    }
}

/// The number of cases a vector file holds, counted independently of the `Decodable` model
/// (so a model that silently dropped cases would be caught).
func rawCaseCount(_ name: String) throws -> Int {
    let data = try XCTUnwrap(FileManager.default.contents(atPath: RepositoryPaths.vectors + "/" + name))
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try XCTUnwrap(object["cases"] as? [Any]).count
}
