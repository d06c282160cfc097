import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `/debug/mail/`: the samples and written previews, as a page or one raw part, for a signed-in
/// console session only.
struct DebugMailRoutesTests {
    @Test func withoutASessionItSendsToTheSignInPage() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for path in ["/debug/mail/", "/debug/mail/feedback?format=eml"] {
                    let response = try await client.page(path, nil)
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location]?.hasPrefix("/login?next=") == true)
                }
            }
        }
    }

    @Test func theIndexListsTheSamplesAndTheWrittenPreviews() async throws {
        try await withTestDaemon { test in
            _ = try await test.createIssue()
            #expect(try await test.daemon.dispatcher.runOnce() == 1)
            let preview = try Self.previewName(test)
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                for path in ["/debug/mail/", "/debug/mail"] {
                    let response = try await client.page(path, login)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    for name in ["feedback", "issue_alert", "regression", preview] {
                        #expect(response.text.contains(#"<a href="/debug/mail/\#(name)">"#), "\(name) in \(response.text)")
                    }
                }
            }
        }
    }

    @Test func aSampleIsShownAsAPage() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let response = try await client.page("/debug/mail/feedback", login)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.hasPrefix("<!doctype html>"))
                #expect(response.text.contains(#"<iframe sandbox src="/debug/mail/feedback?format=html""#))
                #expect(response.text.contains("Lorem ipsum"))
            }
        }
    }

    @Test(arguments: [
        ("html", "text/html; charset=utf-8", "<"), ("txt", "text/plain; charset=utf-8", "Lorem ipsum"), ("eml", "message/rfc822", "Subject: "),
    ])
    func aSamplePartIsServedRaw(_ format: String, _ contentType: String, _ contained: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let response = try await client.page("/debug/mail/feedback?format=\(format)", login)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == contentType)
                #expect(response.text.contains(contained))
            }
        }
    }

    @Test func aWrittenPreviewIsServedFromItsFiles() async throws {
        try await withTestDaemon { test in
            _ = try await test.createIssue()
            try await test.daemon.dispatcher.runOnce()
            let name = try Self.previewName(test)
            let base = "\(test.previews)/\(name)"
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let page = try await client.page("/debug/mail/\(name)", login)
                #expect(page.status == .ok)
                #expect(page.text.contains("something bad happened"), "\(page.text)")
                for (format, suffix) in [("eml", "eml"), ("html", "html"), ("txt", "txt")] {
                    let part = try await client.page("/debug/mail/\(name)?format=\(format)", login)
                    let file = try String(contentsOfFile: "\(base).\(suffix)", encoding: .utf8)
                    #expect(part.text == file, "\(format)")
                }
            }
        }
    }

    @Test func aBadFormatIsABadRequest() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let response = try await client.page("/debug/mail/feedback?format=pdf", login)
                #expect(response.status == .badRequest)
                #expect(response.text.contains("format must be html, txt or eml, not pdf"))
            }
        }
    }

    @Test(arguments: [
        "nothing", "feedback.html", "..", "%2E%2E", "..%2Fcredentials", "a/b", "..%2F..%2Fdata%2Fcredentials", "feedback%00", "%20",
    ])
    func anUnknownOrUnsafeNameIsNotFound(_ name: String) async throws {
        try await withTestDaemon { test in
            // A file beside the previews folder a path traversal would reach.
            try Data("secret".utf8).write(to: test.directory.appendingPathComponent("credentials.eml"))
            try await test.withClient { client in
                let login = try await client.signIn(TestDaemon.readToken)
                let response = try await client.page("/debug/mail/\(name)?format=eml", login)
                #expect(response.status == .notFound, "\(name): \(response.text)")
                #expect(!response.text.contains("secret"))
            }
        }
    }

    /// The name of the one preview written.
    private static func previewName(_ test: TestDaemon) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: test.previews).filter { $0.hasSuffix(".eml") }
        try #require(files.count == 1, "\(files)")
        return String(files[0].dropLast(4))
    }
}
