import Engine
import Foundation
import Hummingbird
import Templates

/// `/debug/mail/`: the built-in sample emails and the previews the `preview` action wrote, for
/// checking templates in a browser. `/debug/mail/<name>` shows the HTML and the text part side
/// by side; `?format=html|txt|eml` answers one part raw.
struct DebugMailRoutes {
    let daemon: Daemon

    func register(on router: Router<BasicRequestContext>) {
        router.get("/debug/mail") { _, _ -> Response in .text(try index(), contentType: "text/html; charset=utf-8") }
        router.get("/debug/mail/{name}") { request, context -> Response in
            let name = try context.parameters.require("name")
            guard !name.isEmpty, name.utf8.allSatisfy({ $0.isASCIIWordByte || $0 == UInt8(ascii: "-") }) else {
                throw APIError.notFound("No mail named \(name)")
            }
            let parts = try await mail(name)
            switch request.uri.queryParameters["format"].map(String.init) {
            case "html"?: return .text(parts.html, contentType: "text/html; charset=utf-8")
            case "txt"?: return .text(parts.text)
            case "eml"?: return .text(parts.eml, contentType: "message/rfc822")
            case nil: return .text(page(name: name, subject: parts.subject, text: parts.text), contentType: "text/html; charset=utf-8")
            case let other?: throw APIError.badRequest("format must be html, txt or eml, not \(other)", field: "format")
            }
        }
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
            let sample = try await MailSample.make(kind, templates: daemon.templates, baseURL: daemon.configuration.effectiveBaseURL)
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
        var rows = MailKind.allCases.map { "<li><a href=\"/debug/mail/\($0.rawValue)\">\($0.rawValue)</a> (sample)</li>" }
        rows += previews.map { "<li><a href=\"/debug/mail/\(Self.escape($0.0))\">\(Self.escape($0.0))</a> \(Timestamp.format($0.1))</li>" }
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>notifyd mail previews</title></head>
            <body style="font-family: sans-serif; margin: 2em"><h1>Mail previews</h1>
            <p>Samples are rendered now with the configured templates; previews are the files in <code>\(Self.escape(directory))</code>.</p>
            <ul>\(rows.joined())</ul></body></html>
            """
    }

    private func page(name: String, subject: String, text: String) -> String {
        let link = "/debug/mail/\(Self.escape(name))"
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>\(Self.escape(subject))</title></head>
            <body style="font-family: sans-serif; margin: 1em">
            <p><a href="/debug/mail/">All mails</a> · <a href="\(link)?format=eml">.eml</a> · <a href="\(link)?format=html">HTML</a> ·
            <a href="\(link)?format=txt">text</a></p><h2>\(Self.escape(subject))</h2>
            <div style="display: flex; gap: 1em; align-items: flex-start">
            <iframe sandbox src="\(link)?format=html" style="flex: 1; height: 85vh; border: 1px solid #ccc"></iframe>
            <pre style="flex: 1; white-space: pre-wrap; border: 1px solid #ccc; padding: 1em; margin: 0">\(Self.escape(text))</pre>
            </div></body></html>
            """
    }

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
