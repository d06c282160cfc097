import Foundation
internal import Mustache

/// The email templates: the built-in ones shipped as package resources, each replaceable by a
/// file of the same name in an override folder. Every template is parsed when the library is
/// built, so a broken template is reported at start-up with its file and position.
///
/// Templates are Mustache files named `<name>.mustache`: `base_html`/`base_text` (the layouts
/// the others extend with `{{<base_html}}…{{/base_html}}`), `details_html`/`details_text`
/// (the issue details partial), and `feedback`, `issue_alert`, `regression`, each as `_html`
/// and `_text`. Text templates start with
/// `{{% CONTENT_TYPE: TEXT}}`, so their values are not HTML-escaped; in HTML templates every
/// `{{value}}` is (the built-in ones declare `{{% CONTENT_TYPE: NOTIFYD_HTML}}`, a faster
/// escaper of the same characters; an override without a pragma gets swift-mustache's).
public struct MailTemplates: Sendable {
    /// The names every library has.
    public static let names = ["base_html", "base_text", "details_html", "details_text"]
        + MailKind.allCases.flatMap { [$0.htmlTemplate, $0.textTemplate] }

    private let library: MustacheLibrary
    /// Renders subjects.
    public let subject: SubjectTemplate

    /// Loads the built-in templates, then the overrides in `overrideDirectory` (if given).
    ///
    /// - Throws: `TemplateError` naming the file and position of the first template that does
    ///   not parse, or a missing built-in.
    public init(overrideDirectory: String? = nil, subject: SubjectTemplate = SubjectTemplate()) throws(TemplateError) {
        HTMLContentType.register()
        var library = MustacheLibrary()
        guard let builtIn = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw TemplateError(file: "templates", line: 0, column: 0, message: "the built-in templates are missing from the bundle")
        }
        for name in Self.names {
            let path = builtIn.appendingPathComponent("\(name).mustache").path
            try Self.register(path: path, named: name, in: &library, required: true)
        }
        if let overrideDirectory {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: overrideDirectory)) ?? []
            for file in files.sorted() where file.hasSuffix(".mustache") {
                let name = String(file.dropLast(".mustache".count))
                try Self.register(path: (overrideDirectory as NSString).appendingPathComponent(file), named: name, in: &library, required: false)
            }
        }
        self.library = library
        self.subject = subject
    }

    /// Parses one template file into the library; a parse error names the file and position.
    static func register(path: String, named name: String, in library: inout MustacheLibrary, required: Bool) throws(TemplateError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TemplateError(file: path, line: 0, column: 0, message: required ? "built-in template missing" : "cannot read the template as UTF-8")
        }
        do {
            library.register(try MustacheTemplate(string: text), named: name)
        } catch let error as MustacheTemplate.ParserError {
            throw TemplateError(
                file: path, line: error.context.lineNumber, column: error.context.columnNumber, message: "\(error.error)")
        } catch {
            throw TemplateError(file: path, line: 1, column: 1, message: "\(error)")
        }
    }

    /// Renders one email.
    public func render(_ kind: MailKind, _ context: MailContext) -> RenderedMail {
        let view = MailContextView(context: context)
        return RenderedMail(
            subject: subject.render(variables: context.subjectVariables, tags: context.tagValues),
            html: library.render(view, withTemplate: kind.htmlTemplate) ?? "",
            text: library.render(view, withTemplate: kind.textTemplate) ?? "")
    }
}
