/// What a delivery is about, read from the store: the issue, its event, project and
/// organization. Emails and webhook bodies are both built from it.
struct DeliveryRecords {
    let group: Group
    let event: Event?
    let project: Project
    let organization: Organization

    /// Reads the records a delivery names; the event is the delivery's own, or else the latest.
    init(_ delivery: Delivery, in reader: any StoreReader) throws {
        guard let group = try reader.group(id: delivery.groupID) else {
            throw DeliveryRenderer.MissingData(reason: "issue \(delivery.groupID) no longer exists")
        }
        guard let project = try reader.project(id: delivery.projectID), let organization = try reader.organization(id: delivery.organizationID)
        else {
            throw DeliveryRenderer.MissingData(reason: "project \(delivery.projectID) or its organization no longer exists")
        }
        self.group = group
        self.project = project
        self.organization = organization
        self.event = try delivery.eventID.flatMap { try reader.event(projectID: project.id, eventID: $0) } ?? reader.latestEvent(groupID: group.id)
    }
}
