import Foundation
internal import Mustache

/// The console's page templates and assets: the built-in ones shipped in the `console` folder of
/// the package's templates, each replaceable by a file of the same name in `<templates>/console/`
/// (the folder that overrides the email templates). Templates are parsed at start-up, so a
/// broken override is reported with its file and position before the daemon serves anything.
///
/// Pages extend `layout` (`{{<layout}}{{$content}}…{{/content}}{{/layout}}`) and render a
/// `PageValue`. Assets (the stylesheet, the small script, the icon) are served by the daemon
/// itself, named with a digest of their content so a browser may cache them for good.
public struct ConsoleTemplates: Sendable {
    /// One asset: its bytes and content type, and the versioned name pages link to.
    public struct Asset: Sendable, Hashable {
        /// The file's name (`console.css`).
        public var name: String
        /// `text/css; charset=utf-8`…
        public var contentType: String
        /// The content.
        public var bytes: [UInt8]
        /// A 64-bit FNV-1a digest of the content in hex (the `?v=` of its links): it changes when
        /// the file does, which is all a cache-busting name needs.
        public var version: String
    }

    /// The page templates every console has.
    public static let pages = [
        "layout", "login", "issues", "issue", "events", "rules", "rule", "deliveries", "delivery", "replay", "message",
    ]
    /// The assets every console has, with their content types.
    public static let assetTypes = [
        "console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8", "icon.svg": "image/svg+xml",
    ]

    private let library: MustacheLibrary
    private let assets: [String: Asset]

    /// Loads the built-in pages and assets, then the overrides in `overrideDirectory/console`.
    ///
    /// - Throws: `TemplateError` naming the file and position of the first template that does
    ///   not parse, or a built-in that is missing.
    public init(overrideDirectory: String? = nil) throws(TemplateError) {
        HTMLContentType.register()
        guard let builtIn = Bundle.module.url(forResource: "templates", withExtension: nil)?.appendingPathComponent("console").path else {
            throw TemplateError(file: "templates/console", line: 0, column: 0, message: "the console templates are missing from the bundle")
        }
        let overrides = overrideDirectory.map { ($0 as NSString).appendingPathComponent("console") }
        func path(_ file: String) -> String {
            if let overrides {
                let candidate = (overrides as NSString).appendingPathComponent(file)
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
            return (builtIn as NSString).appendingPathComponent(file)
        }
        var library = MustacheLibrary()
        for page in Self.pages {
            try MailTemplates.register(path: path("\(page).mustache"), named: page, in: &library, required: true)
        }
        var assets: [String: Asset] = [:]
        for (name, contentType) in Self.assetTypes {
            let file = path(name)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw TemplateError(file: file, line: 0, column: 0, message: "console asset missing")
            }
            let digest = data.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
            assets[name] = Asset(name: name, contentType: contentType, bytes: Array(data), version: String(digest, radix: 16))
        }
        self.library = library
        self.assets = assets
    }

    /// Renders one page.
    public func render(_ page: String, _ value: PageValue) -> String {
        library.render(value.mustacheValue, withTemplate: page) ?? ""
    }

    /// An asset by file name.
    public func asset(_ name: String) -> Asset? { assets[name] }
}
