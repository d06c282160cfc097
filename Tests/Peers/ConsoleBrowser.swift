public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Headless Chromium driven by selenium (`console_browser.py`): runs one scenario against a live
/// console and returns what the browser saw at each step. Like `SentryClient`, each run is a
/// short process; a checkpoint step pauses it until the test has done its part.
public enum ConsoleBrowser {
    /// What the page showed at one step of a scenario.
    public struct Report: Decodable, Sendable {
        public let step: String
        /// Set on the `error` step: where the scenario stopped.
        public let error: String
        public let url: String
        public let title: String
        /// The first `h1`.
        public let heading: String
        /// The message after an action ("Resolved."), if any.
        public let flash: String?
        /// The badges of the issue header (status first).
        public let badges: [String]
        /// Every button's text.
        public let buttons: [String]
        public let checkboxes: Int
        /// The stream's issue titles, in order.
        public let issues: [String]
        /// The pager's "1–25 of 31".
        public let hits: String?
        /// Whether the pager links to a next or a previous page.
        public let next: Bool
        public let previous: Bool
        /// The function names of the stack trace's frames, innermost first.
        public let frames: [String]
        /// The activity panel's entries, newest first.
        public let activity: [String]
        /// Elements no console page has of its own (handlers, inline scripts, frames, styles,
        /// foreign images), by their markup.
        public let injected: [String]
        /// `href`, `src` and `action` values that are neither http(s) nor a path.
        public let unsafeLinks: [String]
        /// The links to other sites.
        public let links: [String]
        /// Whether a payload's handler set `window.__pwned`.
        public let pwned: Bool
        /// Every dialog (alert, confirm, prompt) that opened so far in the run, by its text.
        public let dialogs: [String]
        /// The browser's console errors since the previous step (policy violations among them).
        public let console: [String]
        /// On the `canary` step: whether a handler inserted by the test ran.
        public let canary: Bool
        public let scrollWidth: Int
        public let innerWidth: Int
        /// The innermost elements whose content spills out of their box, with its width (where
        /// to look when the page is too wide; a scrolling box does not count).
        public let spilling: [String]
        /// The page's visible text (at most 40,000 characters).
        public let text: String
        public let screenshot: String?
        /// A checkpoint: the scenario waits for the test.
        public let wait: Bool

        /// Whether the page is wider than the window (a horizontal scroll bar).
        public var overflows: Bool { scrollWidth > innerWidth + 1 }

        enum CodingKeys: String, CodingKey {
            case step, error, url, title, heading, flash, badges, buttons, checkboxes, issues, hits, next, previous, frames, activity
            case injected, unsafeLinks, links, pwned, dialogs, console, canary, scrollWidth, innerWidth, spilling, text, screenshot, wait
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try container.decodeIfPresent(T.self, forKey: key) ?? fallback }
            step = try container.decode(String.self, forKey: .step)
            error = try value(.error, "")
            url = try value(.url, "")
            title = try value(.title, "")
            heading = try value(.heading, "")
            flash = try container.decodeIfPresent(String.self, forKey: .flash)
            badges = try value(.badges, [])
            buttons = try value(.buttons, [])
            checkboxes = try value(.checkboxes, 0)
            issues = try value(.issues, [])
            hits = try container.decodeIfPresent(String.self, forKey: .hits)
            next = try value(.next, false)
            previous = try value(.previous, false)
            frames = try value(.frames, [])
            activity = try value(.activity, [])
            injected = try value(.injected, [])
            unsafeLinks = try value(.unsafeLinks, [])
            links = try value(.links, [])
            pwned = try value(.pwned, false)
            dialogs = try value(.dialogs, [])
            console = try value(.console, [])
            canary = try value(.canary, false)
            scrollWidth = try value(.scrollWidth, 0)
            innerWidth = try value(.innerWidth, 0)
            spilling = try value(.spilling, [])
            text = try value(.text, "")
            screenshot = try container.decodeIfPresent(String.self, forKey: .screenshot)
            wait = try value(.wait, false)
        }
    }

    /// The reports of one run, by step.
    public struct Run: Sendable {
        public let reports: [Report]

        /// The report of a step; throws when the scenario never got there.
        public func step(_ name: String) throws -> Report {
            guard let report = reports.first(where: { $0.step == name }) else {
                throw Failure(description: "the scenario reported no step '\(name)': \(reports.map(\.step))")
            }
            return report
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `python3 console_browser.py <scenario> --base <base> --token <token> --shots <screenshots> <options>`
    /// and waits for it, at most `timeout` (then it is stopped and the run fails).
    ///
    /// - Parameters:
    ///   - scenario: `flow`, `readonly` or `pages` (see the script).
    ///   - options: `--link URL`, `--search TEXT`, `--page URL` (repeated).
    ///   - checkpoint: called at each step that waits; the scenario goes on when it returns.
    public static func run(
        _ scenario: String, base: String, token: String, screenshots: URL, options: [String] = [], timeout: Duration = .seconds(90),
        checkpoint: (Report) async throws -> Void = { _ in }
    ) async throws -> Run {
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let input = Pipe()
        _ = ignoreSIGPIPE
        let script = try ScriptRun(
            script: "console_browser.py", arguments: [scenario, "--base", base, "--token", token, "--shots", screenshots.path] + options, input: input)
        let process = script.process
        // SIGTERM lets the script quit the browser; SIGKILL if it does not within 5 s.
        defer {
            stop(process)
            script.finish()
        }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var reports: [Report] = []
        var consumed = 0
        func read() throws {
            let data = script.output
            guard let end = data.lastIndex(of: UInt8(ascii: "\n")), end >= consumed else { return }
            for line in data[consumed..<end].split(separator: UInt8(ascii: "\n")) {
                do {
                    reports.append(try JSONDecoder().decode(Report.self, from: Data(line)))
                } catch {
                    throw Failure(description: "console_browser.py \(scenario) printed a line that is no report: \(error)\n\(String(decoding: line, as: UTF8.self))")
                }
            }
            consumed = end + 1
        }
        var answered = 0
        while process.isRunning, clock.now < deadline {
            try read()
            while let waiting = reports.dropFirst(answered).firstIndex(where: \.wait) {
                answered = waiting + 1
                try await checkpoint(reports[waiting])
                try input.fileHandleForWriting.write(contentsOf: Data("go\n".utf8))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let timedOut = process.isRunning
        stop(process)
        try read()
        let errors = script.errors
        let stopped = reports.first { $0.step == "error" }
        guard !timedOut, process.terminationStatus == 0, stopped == nil else {
            let why = timedOut ? "ran longer than \(timeout)" : stopped.map { "stopped: \($0.error)" } ?? "exited with \(process.terminationStatus)"
            throw Failure(
                description: "console_browser.py \(scenario) \(why) after \(reports.map(\.step)) "
                    + "(are chromium, chromium-driver and selenium installed? scripts/setup installs them)\n\(errors)")
        }
        return Run(reports: reports)
    }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<250 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Writing to the stdin of a script that exited early must not kill the test runner.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}
