import Foundation

extension ReexecVsProofReport {
    /// The file names `write(to:)` creates.
    var csvFileName: String { fileStem + ".csv" }
    var markdownFileName: String { fileStem + ".md" }
    var svgFileName: String { fileStem + ".svg" }

    /// Why a report could not be written: the path and the system's reason.
    struct WriteError: Error, CustomStringConvertible {
        /// The directory or file that failed.
        let path: String
        /// The underlying error's description.
        let reason: String

        var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `<fileStem>.csv`, `.md` and `.svg` into `directory`, creating it (and its
    /// parents) when missing and replacing files of those names.
    ///
    /// - Parameter directory: The output directory.
    /// - Throws: `WriteError` naming the directory or file that could not be created or written.
    func write(to directory: String) throws(WriteError) {
        precondition(!directory.isEmpty, "an output directory is required")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: directory, reason: "\(error)")
        }
        let files = [(csvFileName, csv()), (markdownFileName, markdown()), (svgFileName, svg())]
        for (name, contents) in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            do {
                try Data(contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw WriteError(path: url.path, reason: "\(error)")
            }
        }
        precondition(files.count == 3)
    }
}
