public import Foundation

extension Engine {
    /// Ingests a Sentry envelope for a project (see `SDKIngest.ingestEnvelope`).
    ///
    /// ```swift
    /// let result = try await engine.ingestEnvelope(body, projectID: project.id)
    /// // answer {"id": result.eventID}; result.failures says which items were not used and why
    /// ```
    public func ingestEnvelope(_ data: Data, projectID: Int64) async throws(EnvelopeError) -> EnvelopeResult {
        try await sdk.ingestEnvelope(data, projectID: projectID)
    }

    /// Ingests the body of Sentry's legacy store endpoint, one event (see `SDKIngest.ingestStoreEvent`).
    public func ingestStoreEvent(_ data: Data, projectID: Int64) async -> SDKItemResult {
        await sdk.ingestStoreEvent(data, projectID: projectID)
    }
}
