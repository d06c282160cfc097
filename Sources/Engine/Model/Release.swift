public import Foundation

/// A release version seen in a project's events.
///
/// Releases are per project here (Sentry shares them across an organization's projects); the
/// regression logic only ever compares releases of one project.
public struct Release: Sendable, Hashable, Identifiable {
    /// Numeric id.
    public var id: Int64
    /// The owning project.
    public var projectID: Int64
    /// The version string as sent (`1.2.0`, `backend@1.2.0+45`).
    public var version: String
    /// When notifyd first saw it; orders releases whose versions are not semver.
    public var dateAdded: Date
    /// Issues first seen in this release.
    public var newGroups: Int64

    /// Creates a release value.
    public init(id: Int64, projectID: Int64, version: String, dateAdded: Date, newGroups: Int64 = 0) {
        self.id = id
        self.projectID = projectID
        self.version = version
        self.dateAdded = dateAdded
        self.newGroups = newGroups
    }
}
