import Engine
import Foundation
import Logging

/// Writes each log record as one JSON line on standard error (`--log-format json`), for log
/// shippers: `timestamp`, `level`, `label`, `message` and the metadata as strings.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: JSONValue] = [
            "timestamp": .string(Timestamp.format(Date())), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = .string(value.description)
        }
        FileHandle.standardError.write(Data((JSONValue.object(object).serializedString(sortedKeys: true) + "\n").utf8))
    }
}
