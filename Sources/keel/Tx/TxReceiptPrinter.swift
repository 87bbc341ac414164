import Foundation
import KeelFormats

/// Prints a receipt for people, or as the API's JSON for scripts.
enum TxReceiptPrinter {
    static func print(_ receipt: APIReceiptJSON, json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(receipt) else { preconditionFailure("a receipt encodes") }
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        for line in lines(receipt) { Swift.print(line) }
    }

    /// The receipt as aligned `name  value` lines.
    static func lines(_ receipt: APIReceiptJSON) -> [String] {
        var rows: [(String, String)] = [
            ("transaction", receipt.transactionRoot), ("block", receipt.blockRoot), ("slot", String(receipt.slot)),
            ("kind", receipt.kind), ("status", receipt.fault.map { "fault (\($0))" } ?? receipt.status), ("fee paid", receipt.feePaid),
        ]
        if let program = receipt.program { rows.append((receipt.kind == "deploy" ? "program address" : "program", program)) }
        if let index = receipt.validatorIndex { rows.append(("validator", String(index))) }
        if let created = receipt.validatorCreated { rows.append(("new validator", created ? "yes" : "no (topped up)")) }
        if let steps = receipt.steps { rows.append(("steps", String(steps))) }
        if let output = receipt.output { rows.append(("output", "[" + output.map(String.init).joined(separator: ", ") + "]")) }
        if let changes = receipt.storageChanges {
            rows.append(("storage", changes.isEmpty ? "unchanged" : "\(changes.count) cell\(changes.count == 1 ? "" : "s") changed"))
            rows += changes.map { ("  cell \($0.cell)", "\($0.before) -> \($0.after)") }
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
    }
}
