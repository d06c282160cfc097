import Engine
import Foundation
import Hummingbird
import Templates

/// `/debug/mail/`: the built-in sample emails and the previews the `preview` action wrote, for
/// checking templates in a browser. `/debug/mail/<name>` shows the HTML and the text part side
/// by side; `?format=html|txt|eml` answers one part raw.
struct DebugMailRoutes {
    let daemon: Daemon

    func register(on router: Router<DaemonRequestContext>) {
        // The previews are real notifications, with the reporters' names and addresses: only
        // for a signed-in console session.
        let console = ConsoleRoutes(daemon: daemon)
        router.get("/debug/mail") { request, _ -> Response in
            try await console.signedIn(request) { _ in Self.answer(try index(), contentType: "text/html; charset=utf-8") }
        }
        router.get("/debug/mail/{name}") { request, context -> Response in
            try await console.signedIn(request) { _ in try await mailPart(request, context) }
        }
    }

    private func mailPart(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard !name.isEmpty, name.utf8.allSatisfy({ $0.isASCIIWordByte || $0 == UInt8(ascii: "-") }) else {
            throw APIError.notFound("No mail named \(name)")
        }
        let parts = try await mail(name)
        switch request.uri.queryParameters["format"].map(String.init) {
        case "html"?: return Self.answer(parts.html, contentType: "text/html; charset=utf-8", framed: true)
        case "txt"?: return Self.answer(parts.text, contentType: "text/plain; charset=utf-8")
        case "eml"?: return Self.answer(parts.eml, contentType: "message/rfc822")
        case nil: return Self.answer(page(name: name, subject: parts.subject, text: parts.text), contentType: "text/html; charset=utf-8")
        case let other?: throw APIError.badRequest("format must be html, txt or eml, not \(other)", field: "format")
        }
    }

    /// A preview with the console's security headers; emails style themselves inline, and the
    /// HTML part is shown in a frame of the preview page.
    private static func answer(_ text: String, contentType: String, framed: Bool = false) -> Response {
        var response = Response.text(text, contentType: contentType)
        ConsolePage.secure(&response.headers, framing: framed ? "'self'" : "'none'", styles: "'self' 'unsafe-inline'")
        return response
    }

    private struct Parts {
        var subject: String
        var html: String
        var text: String
        var eml: String
    }

    /// A built-in sample rendered now, or a written preview read from the folder.
    private func mail(_ name: String) async throws -> Parts {
        if let kind = MailKind(rawValue: name) {
            let rule = daemon.evaluator.rules.rules.first { $0.enabled }
            let sample = try await MailSample.make(kind, templates: daemon.templates, baseURL: daemon.configuration.effectiveBaseURL, rule: rule)
            return Parts(subject: sample.mail.subject, html: sample.mail.html, text: sample.mail.text, eml: sample.message.rendered())
        }
        let base = (daemon.configuration.previews as NSString).appendingPathComponent(name)
        guard let html = try? String(contentsOfFile: base + ".html", encoding: .utf8),
            let text = try? String(contentsOfFile: base + ".txt", encoding: .utf8),
            let eml = try? String(contentsOfFile: base + ".eml", encoding: .utf8)
        else { throw APIError.notFound("No mail named \(name)") }
        let subject = eml.split(separator: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? name
        return Parts(subject: subject, html: html, text: text, eml: eml)
    }

    private func index() throws -> String {
        let directory = daemon.configuration.previews
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let previews = names.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.map { name -> (String, Date) in
            let attributes = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name + ".eml"))
            return (name, attributes?[.modificationDate] as? Date ?? .distantPast)
        }.sorted { $0.1 > $1.1 }
        var rows = MailKind.allCases.map { "<li><a href=\"\(root)/debug/mail/\($0.rawValue)\">\($0.rawValue)</a> (sample)</li>" }
        rows += previews.map { "<li><a href=\"\(root)/debug/mail/\(Self.escape($0.0))\">\(Self.escape($0.0))</a> \(Timestamp.format($0.1))</li>" }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>notifyd mail previews</title></head>
            <body style="font-family: sans-serif; margin: 2em"><h1>Mail previews</h1>
            <p>Samples are rendered now with the configured templates; previews are the files in <code>\(Self.escape(directory))</code>.</p>
            <ul>\(rows.joined())</ul></body></html>
            """
    }

    private func page(name: String, subject: String, text: String) -> String {
        let link = "\(root)/debug/mail/\(Self.escape(name))"
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(Self.escape(subject))</title></head>
            <body style="font-family: sans-serif; margin: 1em">
            <p><a href="\(root)/debug/mail/">All mails</a> · <a href="\(link)?format=eml">.eml</a> · <a href="\(link)?format=html">HTML</a> ·
            <a href="\(link)?format=txt">text</a></p><h2>\(Self.escape(subject))</h2>
            <div style="display: flex; gap: 1em; align-items: flex-start">
            <iframe sandbox src="\(link)?format=html" style="flex: 1; height: 85vh; border: 1px solid #ccc"></iframe>
            <pre style="flex: 1; white-space: pre-wrap; border: 1px solid #ccc; padding: 1em; margin: 0">\(Self.escape(text))</pre>
            </div></body></html>
            """
    }

    private var root: String { daemon.consoleLinks.root }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension UInt8 {
    /// `A-Z a-z 0-9 _`.
    fileprivate var isASCIIWordByte: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || self == UInt8(ascii: "_")
    }
}
