import Engine
import Foundation

/// The secrets notifyd makes itself, kept beside the database (`credentials.json`, readable by
/// the owner only) so that what was printed once keeps working after a restart: the ingest key
/// and API token of the zero-configuration daemon (a configuration file that lists
/// organizations or tokens replaces them), and each project's webhook secret, which signs the
/// webhooks of rules that name no `secret_env`.
struct GeneratedSecrets: Codable, Sendable, Equatable {
    var ingestKey: String
    var apiToken: String
    /// `whsec_…` secrets by `organization/project` slug.
    var webhookSecrets: [String: String]

    init(ingestKey: String, apiToken: String, webhookSecrets: [String: String] = [:]) {
        self.ingestKey = ingestKey
        self.apiToken = apiToken
        self.webhookSecrets = webhookSecrets
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ingestKey = try container.decode(String.self, forKey: .ingestKey)
        apiToken = try container.decode(String.self, forKey: .apiToken)
        // Files written before webhook secrets existed have none.
        webhookSecrets = try container.decodeIfPresent([String: String].self, forKey: .webhookSecrets) ?? [:]
    }

    /// Reads the file next to `database`, creating it on the first start.
    static func load(besideDatabase database: String) throws -> GeneratedSecrets {
        let path = path(besideDatabase: database)
        if let data = FileManager.default.contents(atPath: path) {
            return try JSONDecoder().decode(GeneratedSecrets.self, from: data)
        }
        let secrets = GeneratedSecrets(ingestKey: Credentials.generateKey(), apiToken: Credentials.generateKey() + Credentials.generateKey())
        try secrets.save(besideDatabase: database)
        return secrets
    }

    /// The webhook secret of every project in the store, by project id; the ones missing are
    /// generated and written to the file next to `database`.
    static func webhookSecrets(besideDatabase database: String, store: any Store) async throws -> [Int64: String] {
        let projects = try await store.read { reader in
            try reader.organizations().flatMap { organization in
                try reader.projects(organizationID: organization.id).map { (slug: "\(organization.slug)/\($0.slug)", id: $0.id) }
            }
        }
        var secrets = try load(besideDatabase: database)
        var byID: [Int64: String] = [:]
        var generated = false
        for project in projects {
            if secrets.webhookSecrets[project.slug] == nil {
                secrets.webhookSecrets[project.slug] = WebhookSigner.generateSecret()
                generated = true
            }
            byID[project.id] = secrets.webhookSecrets[project.slug]
        }
        if generated {
            try secrets.save(besideDatabase: database)
        }
        return byID
    }

    /// `credentials.json` in the database's folder.
    private static func path(besideDatabase database: String) -> String {
        let directory = (database as NSString).deletingLastPathComponent
        return ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("credentials.json")
    }

    /// Writes the file (mode 0600) through a temporary file renamed into place, so a reader never
    /// sees half of it.
    private func save(besideDatabase database: String) throws {
        let path = Self.path(besideDatabase: database)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: try encoder.encode(self), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard rename(temporary, path) == 0 else {
            let code = POSIXErrorCode(rawValue: errno) ?? .EIO
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(code)])
        }
    }
}
