/// A request to move an issue to another status: the normalized `status_change` message, or an
/// operator's change through the API (which may also say how it was resolved).
public struct StatusChange: Sendable, Hashable {
    /// How a resolution relates to releases (the API's `statusDetails`).
    public enum Resolution: Sendable, Hashable {
        /// Fixed in this version: events from it or newer regress.
        case inRelease(String)
        /// Fixed in the release after the project's latest one.
        case inNextRelease
    }

    /// Message id, used to skip redelivered messages (32 hex digits).
    public var id: String
    /// The project of the issue.
    public var projectID: Int64
    /// MD5 hex digests of the fingerprint parts; the first one finds the issue.
    public var fingerprint: [String]
    /// The status to move to, as the raw integer (validated when applied, so that an invalid
    /// pair is logged and dropped like Sentry does instead of failing the message).
    public var newStatus: Int
    /// The substatus to move to, if any.
    public var newSubstatus: Int?
    /// Release details for a resolution (API only).
    public var resolution: Resolution?

    /// Creates a status change.
    public init(
        id: String, projectID: Int64, fingerprint: [String], newStatus: Int, newSubstatus: Int?, resolution: Resolution? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.fingerprint = fingerprint
        self.newStatus = newStatus
        self.newSubstatus = newSubstatus
        self.resolution = resolution
    }

    /// Creates a status change from typed values.
    public init(
        id: String, projectID: Int64, fingerprint: [String], status: GroupStatus, substatus: GroupSubstatus?,
        resolution: Resolution? = nil
    ) {
        self.init(
            id: id, projectID: projectID, fingerprint: fingerprint, newStatus: status.rawValue, newSubstatus: substatus?.rawValue,
            resolution: resolution)
    }
}
