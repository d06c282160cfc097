import Engine
import Foundation
import Testing

/// Keyset pages: walking them in both directions, their cursors, and stability while issues are
/// added between two requests.
struct IssuePaginationTests {
    /// Every page of a search, following `next` cursors.
    func walk(_ fixture: SearchFixture, sort: IssueSort, limit: Int) async throws -> [IssuePage] {
        var pages = [try await fixture.search("", sort: sort, limit: limit)]
        while let last = pages.last, last.next.hasResults {
            pages.append(try await fixture.search("", sort: sort, limit: limit, cursor: last.next.cursor))
            try #require(pages.count <= 10, "the walk does not end")
        }
        return pages
    }

    @Test(arguments: IssueSort.allCases)
    func walkingAllPagesGivesTheFullList(sort: IssueSort) async throws {
        let fixture = try await SearchFixture.make()
        let full = try await fixture.search("", sort: sort).groups
        let pages = try await walk(fixture, sort: sort, limit: 2)
        #expect(pages.count == 3)
        #expect(pages.flatMap(\.groups) == full)
        #expect(pages.map(\.next.hasResults) == [true, true, false])
        #expect(pages.map(\.previous.hasResults) == [false, true, true])
        #expect(pages.allSatisfy { $0.hits == full.count })

        // And back again with the previous cursors.
        var backwards = [pages[2]]
        while let first = backwards.first, first.previous.hasResults {
            backwards.insert(try await fixture.search("", sort: sort, limit: 2, cursor: first.previous.cursor), at: 0)
        }
        #expect(backwards.map(\.groups) == pages.map(\.groups))
        #expect(backwards[0].previous.hasResults == false && backwards[0].next.hasResults)
    }

    @Test func pagesStayStableWhenIssuesAreAdded() async throws {
        let fixture = try await SearchFixture.make()
        let full = try await fixture.search("").groups
        var seen: [Group] = []
        let first = try await fixture.search("", limit: 2)
        var page = first
        var added = 0
        while true {
            seen += page.groups
            // New issues (seen now, so at the top of the list) arrive before the next request.
            for _ in 0..<3 {
                added += 1
                try await SearchFixture.ingest(
                    fixture.test, "new-\(added)", project: fixture.backend, title: "New \(added)", level: "error", at: 0,
                    SearchFixture.Seed(priority: 75))
            }
            guard page.next.hasResults else { break }
            page = try await fixture.search("", limit: 2, cursor: page.next.cursor)
        }
        #expect(seen.map(\.id) == full.map(\.id))

        // Going back from the second page finds the first page as it was, with newer issues before it now.
        let second = try await fixture.search("", limit: 2, cursor: first.next.cursor)
        let previous = try await fixture.search("", limit: 2, cursor: second.previous.cursor)
        #expect(previous.groups == first.groups)
        #expect(previous.previous.hasResults && previous.next.hasResults)
        let newest = try await fixture.search("", limit: 2, cursor: previous.previous.cursor)
        #expect(newest.groups.map(\.title) == ["New 2", "New 1"])
    }

    @Test func emptyPagesKeepTheirPosition() async throws {
        let fixture = try await SearchFixture.make()
        let none = try await fixture.search("is:regressed")
        #expect(none.groups.isEmpty && none.hits == 0)
        #expect(none.next == IssuePage.Link(cursor: "0:0:0", hasResults: false))
        #expect(none.previous == IssuePage.Link(cursor: "0:0:1", hasResults: false))

        // Past the end: nothing after, the whole list before.
        let full = try await fixture.search("")
        let last = try #require(full.groups.last)
        let beyond = try await fixture.search("", cursor: full.next.cursor)
        #expect(beyond.groups.isEmpty)
        #expect(beyond.next.hasResults == false)
        #expect(beyond.previous.hasResults)
        #expect(beyond.previous.cursor.hasSuffix(":\(last.id):1"))
    }

    @Test func cursorsAreSentrysShapeWithTheIssueID() async throws {
        let fixture = try await SearchFixture.make()
        let page = try await fixture.search("", sort: .freq, limit: 1)
        #expect(page.next.cursor == "3:\(fixture.ids["db-timeout"]!):0")
        #expect(page.previous.cursor == "3:\(fixture.ids["db-timeout"]!):1")
        let byDate = try await fixture.search("", limit: 1)
        let lastSeen = fixture.now.timeIntervalSince1970 - 1800
        #expect(byDate.next.cursor == "\(Int64(lastSeen)):\(fixture.ids["render-crash"]!):0")
    }

    static let invalidCursors = ["", "abc", "1:2", "x:1:0", "1:y:0", "1:2:3", "1:2:0:4", "nan:1:0", "inf:1:0"]

    @Test(arguments: invalidCursors)
    func invalidCursorsAreRefused(cursor: String) async throws {
        let fixture = try await SearchFixture.make()
        await #expect(throws: IssueSearchError(.invalidCursor, "Invalid cursor parameter.")) {
            try await fixture.search("", cursor: cursor)
        }
    }
}
