import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import notifyd

/// `POST /api/0/projects/{org}/{project}/feedback/`: a feedback issue from a strict JSON object.
struct FeedbackRoutesTests {
    @Test func feedbackCreatesAFeedbackIssue() async throws {
        try await withTestDaemon { test in
            let body: JSONValue = [
                "message": "The export button does nothing", "name": "Jane", "email": "jane@example.com", "environment": "production",
                "tags": ["page": "export"],
            ]
            try await test.withClient { client in
                let response = try await client.send(.post, IngestPath.feedback(), token: TestDaemon.backendKey, json: body)
                #expect(response.status == .created, "\(response.text)")
                let issue = try response.json()
                #expect(issue["issueCategory"] == "feedback")
                #expect(issue["title"] == "User Feedback: The export button does nothing")
                #expect(issue["shortId"] == "BACKEND-1")
                #expect(issue["project"]?["slug"] == "backend")
                let id = try #require(issue["id"]?.stringValue.flatMap { Int64($0) })
                #expect(issue["permalink"] == .string("https://notifyd.test/organizations/acme/issues/\(id)/"))
                let event = try #require(try await test.daemon.engine.latestEvent(groupID: id))
                #expect(event.environment == "production")
            }
        }
    }

    @Test func aMissingMessageIsABadRequestOnMessage() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                for body: JSONValue in [["name": "Jane"], ["message": nil], ["message": "   "]] {
                    let response = try await client.send(.post, IngestPath.feedback(), token: TestDaemon.backendKey, json: body)
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.field == "message", "\(response.text)")
                }
            }
        }
    }

    /// Bodies with a field of the wrong type, and the field.
    static let wrongTypes: [(JSONValue, String)] = [
        (["message": 42], "message"), (["message": "hi", "email": ["a@example.com"]], "email"),
        (["message": "hi", "tags": "page=export"], "tags"), (["message": "hi", "tags": ["page": 1]], "tags.page"),
    ]

    @Test(arguments: wrongTypes)
    func aWrongTypeIsABadRequestNamingTheField(_ body: JSONValue, _ field: String) async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.post, IngestPath.feedback(), token: TestDaemon.backendKey, json: body)
                #expect(response.status == .badRequest)
                #expect(response.field == field, "\(response.text)")
            }
        }
    }

    @Test func anUnknownFieldIsABadRequest() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(
                    .post, IngestPath.feedback(), token: TestDaemon.backendKey, json: ["message": "hi", "comments": "typo of message?"])
                #expect(response.status == .badRequest)
                #expect(response.field == "comments")
                #expect(response.detail == "Unknown field 'comments'")
            }
        }
    }

    @Test func feedbackNeedsTheProjectsKeyAndAnObject() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let unauthorized = try await client.send(.post, IngestPath.feedback(), token: TestDaemon.webKey, json: ["message": "hi"])
                #expect(unauthorized.status == .unauthorized)
                let array = try await client.send(.post, IngestPath.feedback(), token: TestDaemon.backendKey, json: [["message": "hi"]])
                #expect(array.status == .badRequest)
                #expect(array.field == "body")
                let unknown = try await client.send(.post, IngestPath.feedback("acme", "nothing"), token: TestDaemon.backendKey, json: ["message": "hi"])
                #expect(unknown.status == .notFound)
            }
        }
    }
}
