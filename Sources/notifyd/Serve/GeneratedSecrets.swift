import Foundation

/// The ingest key and API token of the zero-configuration daemon. They are generated on the
/// first start and kept beside the database (`credentials.json`, readable by the owner only), so
/// a DSN printed once keeps working after a restart. A configuration file that lists
/// organizations or tokens replaces them.
struct GeneratedSecrets: Codable, Sendable, Equatable {
    var ingestKey: String
    var apiToken: String

    /// Reads the file next to `database`, creating it on the first start.
    static func load(besideDatabase database: String) throws -> GeneratedSecrets {
        let directory = (database as NSString).deletingLastPathComponent
        let path = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("credentials.json")
        if let data = FileManager.default.contents(atPath: path) {
            return try JSONDecoder().decode(GeneratedSecrets.self, from: data)
        }
        let secrets = GeneratedSecrets(ingestKey: Credentials.generateKey(), apiToken: Credentials.generateKey() + Credentials.generateKey())
        try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(secrets), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return secrets
    }
}
