import Engine
import Foundation
import Templates
import Testing

/// What SDK events give the rest of the pipeline: rule filters, mail contexts and the issue JSON.
struct SDKDownstreamTests {
    @Test func ruleFiltersSeeSDKEvents() async throws {
        let (test, _) = try await RuleEvaluatorTests.engine(
            """
            rules:
              - id: python-checkout
                name: Python checkout errors
                triggers: [new_issue]
                filters:
                  - attribute: {name: platform, match: eq, value: python}
                  - attribute: {name: message, match: co, value: could not load the user}
                  - attribute: {name: culprit, match: eq, value: "/checkout/{order_id}"}
                  - attribute: {name: user.email, match: eq, value: ana@example.com}
                  - tag: {key: runtime.name, match: eq, value: CPython}
                  - tag: {key: environment, match: eq, value: production}
                  - level: {match: gte, value: error}
                actions: [preview]
              - id: chrome
                name: Chrome users
                triggers: [new_issue]
                filters:
                  - tag: {key: browser, match: sw, value: Chrome}
                actions: [preview]
              - id: checkout-feedback
                name: Checkout feedback
                triggers: [new_issue]
                filters:
                  - issue_category: [feedback]
                  - attribute: {name: message, match: co, value: checkout button}
                actions: [preview]
            """)
        _ = try await test.engine.ingestEnvelope(try SDKFixtures.data("python-exception.envelope"), projectID: test.project.id)
        _ = try await test.envelope([.init("feedback", json: try SDKFixtures.object("python-feedback-event.json"))])
        _ = await test.storeEvent(["platform": "javascript", "message": "boom", "contexts": ["browser": ["name": "Chrome", "version": "125"]]])

        let fired = try await test.store.read { try $0.deliveries(state: nil, limit: 100) }.flatMap(\.ruleIDs)
        #expect(fired.sorted() == ["checkout-feedback", "chrome", "python-checkout"])
    }

    @Test func mailAndIssueJSONShowSDKFields() async throws {
        let test = try await TestEngine()
        let result = try await test.engine.ingestEnvelope(try SDKFixtures.data("python-exception.envelope"), projectID: test.project.id)
        let groupID = try #require(result.items[0].groupID)
        let group = try #require(try await test.engine.group(id: groupID))
        let event = try await test.engine.latestEvent(groupID: group.id)
        let organizationID = test.project.organizationID
        let organization = try #require(try await test.store.read { try $0.organization(id: organizationID) })

        let mail = MailContextBuilder(baseURL: "https://notifyd.example.com").context(
            group: group, event: event, project: test.project, organization: organization, rules: [("r", "Rule")],
            notificationUUID: "n", alertTime: test.clock.now, regression: false)
        #expect(mail.title == "ValueError: could not load the user for order 1842")
        #expect(mail.culprit == "/checkout/{order_id}")
        #expect(mail.level == "error")
        #expect(mail.eventID == "6ea6a4ad0d0a4f0c9b0e5e3b9fd5a2c1")
        #expect(mail.release == "shop@2.4.1" && mail.environment == "production")
        #expect(mail.user == "ana@example.com")
        #expect(mail.tags.contains(MailContext.Tag(key: "plan", value: "pro")))
        #expect(mail.issueType == "error")

        let json = IssueJSON(baseURL: "https://notifyd.example.com").json(group, project: test.project, organization: organization)
        #expect(json["issueCategory"] == "error")
        #expect(json["metadata"]?["sdk"]?["name"] == "sentry.python.django")
        #expect(json["metadata"]?["value"] == "could not load the user for order 1842")
    }

    @Test func feedbackMailShowsTheReport() async throws {
        let test = try await TestEngine()
        let result = try await test.envelope([.init("feedback", json: try SDKFixtures.object("python-feedback-event.json"))])
        let groupID = try #require(result.items[0].groupID)
        let group = try #require(try await test.engine.group(id: groupID))
        let event = try await test.engine.latestEvent(groupID: group.id)
        let organizationID = test.project.organizationID
        let organization = try #require(try await test.store.read { try $0.organization(id: organizationID) })
        let builder = MailContextBuilder(baseURL: "https://notifyd.example.com")
        #expect(builder.kind(for: group, regression: false) == .feedback)
        let mail = builder.context(
            group: group, event: event, project: test.project, organization: organization, rules: [], notificationUUID: "n",
            alertTime: test.clock.now, regression: false)
        #expect(mail.feedback?.message == "The checkout button does nothing when I press it.")
        #expect(mail.feedback?.name == "Ana Silva")
        #expect(mail.feedback?.email == "ana@example.com")
    }
}
