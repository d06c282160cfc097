import Foundation

/// The Python link checker (`link_checker.py`, `requests`): signs in to a live notifyd's console
/// with an API token and GETs each URL with the session, as a browser following a link would.
public enum LinkChecker {
    /// What one URL answered.
    public struct Answer: Decodable, Sendable, CustomStringConvertible {
        /// `link` (one of the URLs given), `asset` (a stylesheet, script or icon a page names) or
        /// `page-link` (a link of such a page, under the console's root; redirects followed).
        public let kind: String
        public let url: String
        /// The page that named an asset or page link.
        public let from: String?
        public let status: Int
        public let contentType: String
        public let location: String?
        /// The URL that answered, after redirects.
        public let final: String
        public let redirects: [Int]

        enum CodingKeys: String, CodingKey {
            case kind, url, from, status, contentType = "content_type", location, final, redirects
        }

        public var description: String {
            "\(kind) \(url) → \(status) \(contentType)\(location.map { " → \($0)" } ?? "")\(from.map { " (from \($0))" } ?? "")"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Signs in at `root/login` with `token` and GETs every URL of `urls`, their pages' assets
    /// and links; fails if the checker cannot sign in or runs longer than `limit`.
    public static func check(_ urls: [String], root: String, token: String, limit: Duration = .seconds(45)) async throws -> [Answer] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("urls.txt")
        let output = directory.appendingPathComponent("answers.jsonl")
        let errors = directory.appendingPathComponent("errors.txt")
        try Data(urls.joined(separator: "\n").utf8).write(to: list)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("link_checker.py").path
        process.arguments = ["python3", script, root, token, list.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning, clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "link_checker.py ran longer than \(limit)")
        }
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(description: "link_checker.py exited \(process.terminationStatus) (is requests installed?): \(stderr)")
        }
        let data = try Data(contentsOf: output)
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            do {
                return try JSONDecoder().decode(Answer.self, from: Data(line))
            } catch {
                throw Failure(description: "link_checker.py wrote a line that is not an answer: \(String(decoding: line, as: UTF8.self))\n\(stderr)")
            }
        }
    }
}
