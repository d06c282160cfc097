/// The human form of an issue's per-project number: `<PROJECT SLUG>-<base32>` (`BACKEND-1A`).
///
/// The digits are Crockford base 32 (no I, L, O, U), as Sentry's `base32_encode`.
public enum ShortID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Formats a short id for a project slug.
    public static func format(projectSlug: String, number: Int64) -> String {
        "\(projectSlug.uppercased())-\(encode(number))"
    }

    /// Base-32 digits of a non-negative number.
    public static func encode(_ number: Int64) -> String {
        guard number > 0 else { return "0" }
        var value = number
        var digits: [Character] = []
        while value > 0 {
            digits.append(alphabet[Int(value % 32)])
            value /= 32
        }
        return String(digits.reversed())
    }

    /// Splits `SLUG-1A` into the slug (lower-cased) and the number; `nil` if it is not a short id.
    public static func parse(_ text: String) -> (projectSlug: String, number: Int64)? {
        guard let dash = text.lastIndex(of: "-") else { return nil }
        let slug = text[..<dash]
        let digits = text[text.index(after: dash)...].uppercased()
        guard !slug.isEmpty, !digits.isEmpty else { return nil }
        var number: Int64 = 0
        for character in digits {
            guard let digit = alphabet.firstIndex(of: character) else { return nil }
            let (shifted, overflow) = number.multipliedReportingOverflow(by: 32)
            guard !overflow else { return nil }
            number = shifted + Int64(digit)
        }
        return (slug.lowercased(), number)
    }
}
