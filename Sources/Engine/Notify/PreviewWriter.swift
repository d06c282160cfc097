import Foundation
public import Templates

/// The `preview` channel: writes a delivery's email as `<id>.eml`, `<id>.html` and `<id>.txt`
/// into the preview folder. Each file is written to a temporary file and renamed into place,
/// so a reader never sees half a preview.
public struct PreviewWriter: Sendable {
    /// The preview folder.
    public let directory: String

    /// Creates a writer for a folder (created when the first preview is written).
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the three files and returns their paths.
    @discardableResult
    public func write(id: String, mail: RenderedMail, message: MailMessage) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (suffix, text) in [("eml", message.rendered()), ("html", mail.html), ("txt", mail.text)] {
            let path = (directory as NSString).appendingPathComponent("\(id).\(suffix)")
            // `.atomic` writes a temporary file beside the target and renames it over it.
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            paths.append(path)
        }
        return paths
    }
}
