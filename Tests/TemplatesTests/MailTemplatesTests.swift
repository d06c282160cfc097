import Foundation
import Templates
import Testing

struct MailTemplatesTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func contexts() -> [(MailKind, MailContext)] {
        [(.feedback, MailSamples.feedback()), (.issueAlert, MailSamples.issue()), (.regression, MailSamples.issue(header: "Regressed issue"))]
    }

    /// The text parts match the files in Golden/ (set UPDATE_GOLDEN=1 to rewrite them after a
    /// deliberate template change, then review the diff).
    @Test(arguments: MailKind.allCases)
    func textPartMatchesItsGoldenFile(kind: MailKind) throws {
        let context = Self.contexts().first { $0.0 == kind }!.1
        let text = try MailTemplates().render(kind, context).text
        let file = Self.golden.appendingPathComponent("\(kind.rawValue).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected)
    }

    @Test(arguments: MailKind.allCases)
    func htmlPartIsAMailClientFriendlyDocument(kind: MailKind) throws {
        let context = Self.contexts().first { $0.0 == kind }!.1
        let html = try MailTemplates().render(kind, context).html
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
        #expect(!html.lowercased().contains("<script"), "no scripts")
        #expect(html.contains("max-width:600px"), "at most 700 px wide")
        #expect(html.contains("<meta name=\"viewport\""), "reads on a phone")
        #expect(html.contains("role=\"presentation\""), "table layout")
        #expect(!html.contains("<style"), "inline styles only")
        #expect(html.contains(context.header) && html.contains(context.shortID) && html.contains(context.issueURL))
        #expect(html.contains(context.muteURL) && html.contains(context.settingsURL) && html.contains("New errors"))
        if kind == .feedback {
            #expect(html.contains("test@test.com") && html.contains("Test Name") && html.contains("Watch the session replay"))
        } else {
            #expect(html.contains("browser: Firefox 132") && html.contains("shop@2.4.0"))
        }
    }

    /// Anonymous feedback without a page or replay, on an event without release, environment or
    /// user: those lines are left out, never shown as `nil` (which once made `href="nil"` links).
    @Test(arguments: MailKind.allCases)
    func unsetValuesLeaveTheirLinesOut(kind: MailKind) throws {
        var context = Self.contexts().first { $0.0 == kind }!.1
        context.release = nil
        context.environment = nil
        context.user = nil
        if kind == .feedback {
            context.feedback = .init(message: "Nothing happens")
        }
        let mail = try MailTemplates().render(kind, context)
        for part in [mail.html, mail.text] {
            #expect(!part.contains("nil"), "\(part)")
        }
        if kind == .feedback {
            #expect(mail.html.contains("Anonymous") && !mail.html.contains("mailto:") && !mail.html.contains("Watch the session replay"))
        }
    }

    @Test(arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "Tom & Jerry's 'quote' <b>"])
    func valuesAreEscapedInHTMLAndRawInText(hostile: String) throws {
        var context = MailSamples.feedback(message: hostile)
        context.title = hostile
        context.tags = [.init(key: hostile, value: hostile)]
        context.feedback?.name = hostile
        let mail = try MailTemplates().render(.feedback, context)
        #expect(!mail.html.contains(hostile), "never verbatim in HTML")
        #expect(!mail.html.contains("<script>") && !mail.html.contains("<img"))
        #expect(mail.html.contains("&lt;") || mail.html.contains("&amp;") || mail.html.contains("&#39;"))
        #expect(mail.text.contains(hostile), "the text part shows it as written")
        #expect(!mail.text.contains("&lt;") && !mail.text.contains("&amp;") && !mail.text.contains("&quot;"))
        let issue = try MailTemplates().render(.issueAlert, context)
        #expect(!issue.html.contains(hostile) && issue.text.contains(hostile))
    }

    @Test func overridesReplaceBuiltInsByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{{% CONTENT_TYPE: TEXT}}\nCustom: {{shortID}} {{title}}\n".utf8).write(to: folder.appendingPathComponent("issue_alert_text.mustache"))
        let mail = try MailTemplates(overrideDirectory: folder.path).render(.issueAlert, MailSamples.issue())
        #expect(mail.text == "Custom: BACKEND-1A TypeError: x is undefined\n")
        #expect(mail.html.contains("<!DOCTYPE html>"), "the other templates stay built-in")
    }

    @Test func aBrokenTemplateIsReportedAtLoadWithFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifyd-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("line one\nline two {{#section}}\nno close\n".utf8).write(to: folder.appendingPathComponent("feedback_html.mustache"))
        let error = try #require(throws: TemplateError.self) { try MailTemplates(overrideDirectory: folder.path) }
        #expect(error.file.hasSuffix("feedback_html.mustache"))
        #expect(error.line >= 2)
        #expect(error.description.hasPrefix("\(error.file):\(error.line):"))
    }

    @Test func subjectsAreOneLineWithThePrefix() throws {
        var context = MailSamples.issue()
        context.title = "Injected\r\nBcc: victim@example.com"
        let mail = try MailTemplates().render(.issueAlert, context)
        #expect(mail.subject == "[notifyd] BACKEND-1A - Injected")
    }
}
