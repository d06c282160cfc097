import Foundation

extension SDKIngest {
    /// Turns one item into an occurrence, or says why not.
    func process(_ item: EnvelopeItem, fallbackEventID: String?, projectID: Int64, received: Date) async -> SDKItemResult {
        guard ["event", "feedback", "user_report"].contains(item.type) else {
            return SDKItemResult(index: item.index, type: item.type, outcome: .ignored)
        }
        do throws(EnvelopeItemError) {
            let object = try payload(of: item)
            switch item.type {
            case "event":
                // Transactions belong in `transaction` items; one sent as an event is not an error either.
                guard object["type"]?.stringValue != "transaction" else {
                    return SDKItemResult(index: item.index, type: item.type, outcome: .ignored)
                }
                return try await errorEvent(object, item: item, fallbackEventID: fallbackEventID, projectID: projectID, received: received)
            case "feedback":
                return try await feedback(object, item: item, fallbackEventID: fallbackEventID, projectID: projectID, received: received)
            default:
                return try await userReport(object, item: item, projectID: projectID, received: received)
            }
        } catch {
            return SDKItemResult(index: item.index, type: item.type, outcome: .failed(error))
        }
    }

    /// The payload as a JSON object, within the size and depth limits.
    private func payload(of item: EnvelopeItem) throws(EnvelopeItemError) -> [String: JSONValue] {
        guard item.payload.count <= configuration.maximumEventSize else {
            throw EnvelopeItemError(
                .tooLarge, index: item.index, type: item.type,
                "the payload of \(item.payload.count) bytes is more than the \(configuration.maximumEventSize)-byte limit for \(item.type) items")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(item.payload, maxDepth: configuration.maximumDepth)
        } catch {
            throw EnvelopeItemError(.invalidPayload, index: item.index, type: item.type, "the payload is not JSON: \(error.description)")
        }
        guard let object = value.objectValue else {
            throw EnvelopeItemError(.invalidPayload, index: item.index, type: item.type, "the payload must be a JSON object, got \(value.typeName)")
        }
        return object
    }

    private func errorEvent(
        _ object: [String: JSONValue], item: EnvelopeItem, fallbackEventID: String?, projectID: Int64, received: Date
    ) async throws(EnvelopeItemError) -> SDKItemResult {
        let event = try invalidPayload(item) { () throws(MessageError) in
            try SDKEvent(object, fallbackEventID: fallbackEventID, projectID: projectID, received: received)
        }
        let grouping = SDKGrouping(event: object)
        let occurrence = IssueOccurrence(
            id: event.eventID, projectID: projectID, eventID: event.eventID, fingerprint: [grouping.fingerprint], issueTitle: grouping.title,
            subtitle: grouping.subtitle,
            evidenceData: [
                "grouping": .string(grouping.method.rawValue), "grouping_components": .array(grouping.components.map(JSONValue.string)),
            ],
            evidenceDisplay: grouping.subtitle.isEmpty ? [] : [IssueEvidence(name: "value", value: grouping.subtitle, important: true)],
            type: GroupType.error.id, detectionTime: event.timestamp, level: event.level, culprit: grouping.culprit,
            priority: Self.priority(for: event.level))
        let outcome = try await produce(occurrence, event: event.body, item: item)
        return SDKItemResult(index: item.index, type: item.type, eventID: event.eventID, outcome: outcome)
    }

    private func feedback(
        _ object: [String: JSONValue], item: EnvelopeItem, fallbackEventID: String?, projectID: Int64, received: Date
    ) async throws(EnvelopeItemError) -> SDKItemResult {
        let (event, input) = try invalidPayload(item) { () throws(MessageError) in
            let event = try SDKEvent(object, fallbackEventID: fallbackEventID, projectID: projectID, received: received)
            return (event, try SDKFeedback.input(feedback: object, event: event))
        }
        var linkedGroupID: Int64?
        if let associatedEventID = input.associatedEventID {
            linkedGroupID = try await associated(associatedEventID, projectID: projectID, item: item).groupID
        }
        let origin = SDKFeedback.Origin(
            eventID: event.eventID, timestamp: event.timestamp, platform: event.platform,
            level: object["level"]?.stringValue.flatMap(Level.init(name:)) ?? .info, body: event.body)
        let (occurrence, body) = SDKFeedback.make(input, origin: origin, projectID: projectID, received: received)
        let outcome = try await produce(occurrence, event: body, item: item)
        return SDKItemResult(index: item.index, type: item.type, eventID: occurrence.eventID, linkedGroupID: linkedGroupID, outcome: outcome)
    }

    private func userReport(
        _ object: [String: JSONValue], item: EnvelopeItem, projectID: Int64, received: Date
    ) async throws(EnvelopeItemError) -> SDKItemResult {
        let eventID = try invalidPayload(item) { () throws(MessageError) in try SDKFeedback.reportEventID(object) }
        let (event, linkedGroupID) = try await associated(eventID, projectID: projectID, item: item)
        let input = try invalidPayload(item) { () throws(MessageError) in
            try SDKFeedback.input(userReport: object, eventID: eventID, event: event)
        }
        // Sentry's shim gives the feedback the time, platform and level of the event it is about.
        let origin = SDKFeedback.Origin(
            eventID: nil, timestamp: event?.timestamp ?? received, platform: event?.platform ?? "other", level: event?.level ?? .info,
            body: event?.data ?? [:])
        let (occurrence, body) = SDKFeedback.make(input, origin: origin, projectID: projectID, received: received)
        let outcome = try await produce(occurrence, event: body, item: item)
        return SDKItemResult(index: item.index, type: item.type, eventID: occurrence.eventID, linkedGroupID: linkedGroupID, outcome: outcome)
    }

    /// The stored event with this id, and the issue its occurrence was grouped into. Error events
    /// from SDKs use the event id as the occurrence id, which makes this two key lookups.
    private func associated(
        _ eventID: String, projectID: Int64, item: EnvelopeItem
    ) async throws(EnvelopeItemError) -> (event: Event?, groupID: Int64?) {
        do {
            return try await store.read { reader in
                let event = try reader.event(projectID: projectID, eventID: eventID)
                guard let hash = try reader.occurrence(projectID: projectID, id: eventID)?.fingerprint.first else { return (event, nil) }
                return (event, try reader.groupID(projectID: projectID, hash: hash))
            }
        } catch {
            throw EnvelopeItemError(.notProcessed, index: item.index, type: item.type, "looking up event \(eventID) failed: \(error)")
        }
    }

    /// Sends the occurrence through the producer and translates what the consumer did.
    private func produce(
        _ occurrence: IssueOccurrence, event: [String: JSONValue], item: EnvelopeItem
    ) async throws(EnvelopeItemError) -> SDKItemResult.Outcome {
        let result: MessageResult?
        do {
            result = try await producer.produce(occurrence: occurrence, event: event)
        } catch {
            throw EnvelopeItemError(.notProcessed, index: item.index, type: item.type, "\(error)")
        }
        switch result?.outcome {
        case nil: return .queued
        case .grouped(let info)?: return .issue(groupID: info.group.id, isNew: info.isNew)
        case .dropped(let reason)?: return .dropped(reason)
        case .invalid(let error)?: throw EnvelopeItemError(.rejected, index: item.index, type: item.type, field: error.field, error.reason)
        case .failed(let reason)?: throw EnvelopeItemError(.notProcessed, index: item.index, type: item.type, reason)
        case .statusChanged?: throw EnvelopeItemError(.notProcessed, index: item.index, type: item.type, "no issue was created")
        }
    }

    /// Runs a payload reader, naming the item in its error.
    private func invalidPayload<T>(_ item: EnvelopeItem, _ body: () throws(MessageError) -> T) throws(EnvelopeItemError) -> T {
        do {
            return try body()
        } catch {
            throw EnvelopeItemError(.invalidPayload, index: item.index, type: item.type, field: error.field, error.reason)
        }
    }

    /// Sentry's priority for a new error issue without a severity score: info and debug low,
    /// fatal high, everything else medium.
    static func priority(for level: Level) -> PriorityLevel {
        switch level {
        case .sample, .debug, .info: return .low
        case .warning, .error: return .medium
        case .fatal: return .high
        }
    }
}
