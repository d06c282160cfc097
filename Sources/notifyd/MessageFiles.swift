import ArgumentParser
import Engine
import Foundation

/// Reads message files for `notifyd ingest`.
enum MessageFiles {
    /// Paths with directories replaced by their `*.json` files, sorted.
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    static func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return data
    }

    /// One message per element of a top-level array, one per line for JSON lines, else the
    /// whole text as one message (whose errors the consumer reports).
    static func split(_ data: Data, source: String) throws -> [Data] {
        if let value = try? JSONValue.parse(data) {
            if case .array(let elements) = value { return elements.map { $0.serialized() } }
            return [data]
        }
        let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }
        return lines.isEmpty ? [data] : lines.map { Data($0) }
    }
}
