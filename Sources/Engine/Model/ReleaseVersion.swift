/// A release version read as semver, the way Sentry parses releases: an optional
/// `package@` prefix, 1–4 numeric components, an optional `-prerelease` and `+build`.
///
/// `backend@1.2.0`, `1.2`, `2.0.0-rc.1+45` parse; `abc123` (a commit hash) does not.
public struct ReleaseVersion: Sendable, Hashable, Comparable {
    /// Major, minor, patch, revision (missing ones are 0).
    public var numbers: [Int]
    /// Dot-separated pre-release identifiers; empty for a final release.
    public var prerelease: [String]

    /// Parses a release string; `nil` if it does not follow semver.
    public init?(_ release: String) {
        var text = Substring(release)
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if let plus = text.firstIndex(of: "+") { text = text[..<plus] }
        var prerelease: [String] = []
        if let dash = text.firstIndex(of: "-") {
            let tail = text[text.index(after: dash)...]
            guard !tail.isEmpty else { return nil }
            prerelease = tail.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard prerelease.allSatisfy({ !$0.isEmpty }) else { return nil }
            text = text[..<dash]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let number = Int(part), number >= 0 else { return nil }
            numbers.append(number)
        }
        while numbers.count < 4 { numbers.append(0) }
        self.numbers = numbers
        self.prerelease = prerelease
    }

    /// Semver precedence: numbers first; a pre-release sorts before its final release;
    /// numeric identifiers compare as numbers and before alphanumeric ones.
    public static func < (lhs: ReleaseVersion, rhs: ReleaseVersion) -> Bool {
        if lhs.numbers != rhs.numbers { return lhs.numbers.lexicographicallyPrecedes(rhs.numbers) }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (left, right) in zip(lhs.prerelease, rhs.prerelease) where left != right {
            switch (Int(left), Int(right)) {
            case (let l?, let r?): return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return left < right
            }
        }
        return lhs.prerelease.count < rhs.prerelease.count
    }
}
