/// The one part of `GET /blocks/{id}` a light node reads: the canonical block bytes, which it
/// hashes and checks itself. The other answers it reads are KeelNode's own API types
/// (`APIHeadJSON`, `APIProofJSON`, ...), decoded with the node's key convention.
struct LightBlockJSON: Decodable {
    var encoded: String
}
