import Engine
import Foundation
import Testing

/// Organizations and projects through the engine's API.
struct EngineSetupTests {
    @Test func organizationsAndProjectsHaveUniqueSlugs() async throws {
        let engine = try Engine(configuration: .init(databasePath: nil))
        let acme = try await engine.createOrganization(slug: "acme", name: "Acme Inc.")
        #expect(acme.name == "Acme Inc.")
        let backend = try await engine.createProject(organizationID: acme.id, slug: "backend")
        #expect(backend.organizationID == acme.id && backend.name == "backend")
        #expect(try await engine.project(organizationSlug: "acme", projectSlug: "backend") == backend)

        let duplicate = await #expect(throws: EngineError.self) { try await engine.createOrganization(slug: "acme") }
        #expect(duplicate?.code == .conflict && duplicate?.field == "organization")
        let taken = await #expect(throws: EngineError.self) { try await engine.createProject(organizationID: acme.id, slug: "backend") }
        #expect(taken?.code == .conflict)
        // The same project slug in another organization is fine.
        let other = try await engine.createOrganization(slug: "other")
        #expect(try await engine.createProject(organizationID: other.id, slug: "backend").id != backend.id)
        let missing = await #expect(throws: EngineError.self) { try await engine.createProject(organizationID: 999, slug: "x") }
        #expect(missing?.code == .notFound)
    }

    @Test(arguments: ["", "Acme", "has space", "ünïcode", String(repeating: "a", count: 51)])
    func badSlugsAreRefused(slug: String) async throws {
        let engine = try Engine(configuration: .init(databasePath: nil))
        let error = await #expect(throws: EngineError.self) { try await engine.createOrganization(slug: slug) }
        #expect(error?.code == .invalidArgument && error?.field == "organization")
    }
}
