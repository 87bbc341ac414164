import Foundation

/// A JSON value, decoded strictly (a boolean is never a number), for schema checks.
indirect enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(UInt64.self) { self = .unsigned(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var string: String? { if case let .string(value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case let .object(value) = self { value } else { nil } }
    var array: [JSONValue]? { if case let .array(value) = self { value } else { nil } }

    /// The value as a number (integers exactly enough for bounds checks).
    var number: Double? {
        switch self {
        case let .integer(value): Double(value)
        case let .unsigned(value): Double(value)
        case let .double(value): value
        default: nil
        }
    }

    var isInteger: Bool {
        switch self {
        case .integer, .unsigned: true
        case let .double(value): value.rounded() == value
        default: false
        }
    }
}

/// A validator for the subset of JSON Schema (2020-12) that `openapi.json` uses: `type` (a name
/// or a list), `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
/// `pattern`, `minimum`, `maximum`, `minLength`, `minItems`, `maxItems` and local `$ref`.
/// Any other keyword (but `description`) is reported as a failure, so the document cannot use a
/// rule this check would silently skip.
struct JSONSchemaSubset {
    /// The whole document, for `$ref`.
    let document: JSONValue

    private static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "pattern", "minimum", "maximum",
        "minLength", "minItems", "maxItems", "$ref", "description",
    ]

    /// The failures of `value` against `schema`, each with its JSON path; empty when it conforms.
    func failures(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard let rules = schema.object else { return ["\(path): a schema is an object"] }
        if let unknown = rules.keys.sorted().first(where: { !Self.keywords.contains($0) }) {
            return ["\(path): the schema uses '\(unknown)', which this check does not implement"]
        }
        if let reference = rules["$ref"]?.string {
            guard let target = resolve(reference) else { return ["\(path): unresolvable $ref \(reference)"] }
            return failures(value, target, at: path)
        }
        if let type = rules["type"] {
            let names = type.array?.compactMap(\.string) ?? [type.string ?? "?"]
            guard names.contains(where: { Self.matches(value, type: $0) }) else {
                return ["\(path): expected \(names.joined(separator: " or ")), got \(value)"]
            }
        }
        var found: [String] = []
        if let options = rules["enum"]?.array, !options.contains(value) { found.append("\(path): \(value) is not one of \(options)") }
        if case let .string(text) = value {
            if let pattern = rules["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): '\(text.prefix(80))' does not match \(pattern)")
            }
            if let minimum = rules["minLength"]?.number, Double(text.count) < minimum { found.append("\(path): shorter than \(minimum)") }
        }
        if let number = value.number {
            if let minimum = rules["minimum"]?.number, number < minimum { found.append("\(path): \(number) is below \(minimum)") }
            if let maximum = rules["maximum"]?.number, number > maximum { found.append("\(path): \(number) is above \(maximum)") }
        }
        if case let .object(members) = value {
            let properties = rules["properties"]?.object ?? [:]
            for name in rules["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                found.append("\(path): missing required '\(name)'")
            }
            if rules["additionalProperties"] == .bool(false) {
                for name in members.keys.sorted() where properties[name] == nil { found.append("\(path): undocumented property '\(name)'") }
            }
            for (name, child) in members.sorted(by: { $0.key < $1.key }) {
                if let childSchema = properties[name] { found += failures(child, childSchema, at: "\(path).\(name)") }
            }
        }
        if case let .array(elements) = value {
            if let minimum = rules["minItems"]?.number, Double(elements.count) < minimum { found.append("\(path): fewer than \(minimum) items") }
            if let maximum = rules["maxItems"]?.number, Double(elements.count) > maximum { found.append("\(path): more than \(maximum) items") }
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() { found += failures(element, items, at: "\(path)[\(index)]") }
            }
        }
        return found
    }

    /// A `#/a/b` pointer into the document.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("integer", _): value.isInteger
        case ("number", _): value.number != nil
        default: false
        }
    }
}
