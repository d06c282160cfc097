import Engine
import Testing

/// The issue types (reference section 7) and the registry that looks them up.
struct GroupTypeRegistryTests {
    /// One row of the reference's group-type table.
    struct Row: Sendable, CustomTestStringConvertible {
        var id: Int
        var slug: String
        var description: String
        var category: GroupCategory
        var priority: PriorityLevel
        var released: Bool
        /// `nil` = no noise config.
        var noise: Int?

        init(
            _ id: Int, _ slug: String, _ description: String, _ category: GroupCategory, _ priority: PriorityLevel, _ released: Bool,
            noise: Int?
        ) {
            self.id = id
            self.slug = slug
            self.description = description
            self.category = category
            self.priority = priority
            self.released = released
            self.noise = noise
        }

        var testDescription: String { "\(id) \(slug)" }
    }

    /// The table of reference section 7, one row per id ("3" = the default NoiseConfig of the
    /// performance mixin). 7001 is marked "N*, released later": notifyd ships it released.
    static let referenceTable: [Row] = [
        Row(1, "error", "Error", .error, .medium, true, noise: nil),
        Row(1001, "performance_slow_db_query", "Slow DB Query", .performance, .low, true, noise: 100),
        Row(1004, "performance_render_blocking_asset_span", "Large Render Blocking Asset", .performance, .low, true, noise: 3),
        Row(1006, "performance_n_plus_one_db_queries", "N+1 Query", .performance, .low, true, noise: 3),
        Row(1007, "performance_consecutive_db_queries", "Consecutive DB Queries", .performance, .low, true, noise: 15),
        Row(1008, "performance_file_io_main_thread", "File IO on Main Thread", .performance, .low, true, noise: 3),
        Row(1009, "performance_consecutive_http", "Consecutive HTTP", .performance, .low, true, noise: 5),
        Row(1010, "performance_n_plus_one_api_calls", "N+1 API Call", .performance, .low, true, noise: nil),
        Row(1011, "performance_m_n_plus_one_db_queries", "MN+1 Query", .performance, .low, true, noise: 3),
        Row(1012, "performance_uncompressed_assets", "Uncompressed Asset", .performance, .low, true, noise: 100),
        Row(1013, "performance_db_main_thread", "DB on Main Thread", .performance, .low, true, noise: 3),
        Row(1015, "performance_large_http_payload", "Large HTTP payload", .performance, .low, true, noise: 3),
        Row(1016, "performance_http_overhead", "HTTP/1.1 Overhead", .performance, .low, false, noise: 20),
        Row(
            1017, "performance_duration_regression", "Transaction Duration Regression (Experimental)", .performance, .low, false,
            noise: nil),
        Row(1018, "performance_p95_endpoint_regression", "Endpoint Regression", .performance, .medium, true, noise: nil),
        Row(1019, "performance_streamed_spans_exp", "Streamed Spans (Experimental)", .performance, .low, false, noise: nil),
        Row(2001, "profile_file_io_main_thread", "File I/O on Main Thread", .performance, .low, false, noise: nil),
        Row(2002, "profile_image_decode_main_thread", "Image Decoding on Main Thread", .performance, .low, false, noise: nil),
        Row(2003, "profile_json_decode_main_thread", "JSON Decoding on Main Thread", .performance, .low, false, noise: nil),
        Row(2004, "profile_core_data_main_exp", "Core Data on Main Thread", .performance, .low, false, noise: nil),
        Row(2006, "profile_view_is_slow_experimental", "View Render/Layout/Update is slow", .performance, .low, false, noise: nil),
        Row(2007, "profile_regex_main_thread", "Regex on Main Thread", .performance, .low, true, noise: nil),
        Row(2008, "profile_frame_drop_experimental", "Frame Drop", .performance, .low, false, noise: nil),
        Row(2009, "profile_frame_drop", "Frame Drop", .performance, .low, true, noise: 2000),
        Row(
            2010, "profile_function_regression_exp", "Function Duration Regression (Experimental)", .performance, .low, false,
            noise: nil),
        Row(2011, "profile_function_regression", "Function Regression", .performance, .medium, true, noise: nil),
        Row(4001, "monitor_check_in_failure", "Crons Monitor Failed", .cron, .high, true, noise: nil),
        Row(5001, "replay_click_dead", "Dead Click Detected", .replay, .medium, false, noise: nil),
        Row(5002, "replay_click_rage", "Rage Click Detected", .replay, .medium, true, noise: nil),
        Row(5003, "replay_hydration_error", "Hydration Error Detected", .replay, .medium, true, noise: nil),
        Row(6001, "feedback", "Feedback", .feedback, .medium, true, noise: nil),
        Row(7001, "uptime_domain_failure", "Uptime Domain Monitor Failure", .uptime, .high, true, noise: nil),
        Row(8002, "metric_issue_poc", "Metric Issue POC", .metricAlert, .high, false, noise: nil),
    ]

    let registry = GroupTypeRegistry.standard

    @Test func standardRegistryHasExactlyTheReferenceIDs() {
        var expected: Set<Int> = [1, 1001, 1004, 6001, 7001, 8002]
        expected.formUnion(1006...1013)
        expected.formUnion(1015...1019)
        expected.formUnion(2001...2004)
        expected.formUnion(2006...2011)
        expected.formUnion(4001...4003)
        expected.formUnion(5001...5003)
        #expect(Set(registry.all.map(\.id)) == expected)
        #expect(registry.all.count == expected.count)
        for id in expected {
            #expect(registry.type(id: id)?.id == id)
        }
        // Retired and unknown ids.
        for id in [0, 2, 1002, 1003, 1005, 1014, 2000, 2005, 3001, 4004, 8001, 9999] {
            #expect(registry.type(id: id) == nil, "\(id)")
        }
    }

    @Test func allIsOrderedByID() {
        let ids = registry.all.map(\.id)
        #expect(ids == ids.sorted())
    }

    @Test(arguments: referenceTable)
    func typeMatchesTheReferenceTable(row: Row) throws {
        let type = try #require(registry.type(id: row.id))
        #expect(type.slug == row.slug)
        #expect(type.description == row.description)
        #expect(type.category == row.category)
        #expect(type.defaultPriority == row.priority)
        #expect(type.released == row.released)
        #expect(type.noiseConfig?.ignoreLimit == row.noise)
        if type.noiseConfig != nil {
            // NoiseConfig's default expiry, 24 hours.
            #expect(type.noiseConfig?.expiry == .seconds(24 * 3600))
        }
        // The slug finds the same type (no slug is shared in the reference table).
        #expect(registry.type(slug: row.slug)?.id == row.id)
    }

    @Test func cronSubtypesShareTheCronDefaults() throws {
        for id in [4002, 4003] {
            let type = try #require(registry.type(id: id))
            #expect(type.category == .cron)
            #expect(type.defaultPriority == .high)
            #expect(type.creationQuota == Quota(limit: 60_000))
            #expect(type.noiseConfig == nil)
        }
        // 4001 keeps its slug whatever its subclasses are called.
        #expect(registry.type(slug: "monitor_check_in_failure")?.id == 4001)
    }

    @Test(arguments: [
        (1017, false, false), (1018, false, false), (1019, false, false), (2010, false, true), (2011, false, true),
        (7001, false, false), (8002, false, false), (1, true, true), (1001, true, true), (2009, true, true), (4001, true, true),
        (6001, true, true),
    ] as [(Int, Bool, Bool)])
    func autoResolveAndEscalationFlags(id: Int, autoResolve: Bool, escalation: Bool) throws {
        let type = try #require(registry.type(id: id))
        #expect(type.enableAutoResolve == autoResolve)
        #expect(type.enableEscalationDetection == escalation)
    }

    // MARK: Creation quotas

    @Test func errorHasNoCreationQuota() {
        #expect(registry.type(id: 1)?.creationQuota == nil)
        #expect(GroupType.error.creationQuota == nil)
    }

    @Test(arguments: [(6001, 1000), (4001, 60_000), (4002, 60_000), (4003, 60_000), (7001, 1000)] as [(Int, Int)])
    func specialCreationQuotasPerHour(id: Int, limit: Int) throws {
        let quota = try #require(registry.type(id: id)?.creationQuota)
        #expect(quota.limit == limit)
        #expect(quota.window == .seconds(3600))
        #expect(quota.granularity == .seconds(60))
    }

    @Test func everyOtherTypeHasTheDefaultQuota() {
        let special: Set<Int> = [1, 6001, 4001, 4002, 4003, 7001]
        for type in registry.all where !special.contains(type.id) {
            #expect(type.creationQuota == Quota(window: .seconds(3600), granularity: .seconds(60), limit: 5), "\(type.id)")
        }
        let quota = Quota()
        #expect(quota.limit == 5 && quota.window == .seconds(3600) && quota.granularity == .seconds(60))
    }

    // MARK: Search and lookups

    @Test func feedbackIsHiddenFromTheDefaultSearch() {
        #expect(registry.type(id: 6001)?.inDefaultSearch == false)
        #expect(GroupType.feedback.inDefaultSearch == false)
        #expect(registry.all.filter { !$0.inDefaultSearch }.map(\.id) == [6001])
    }

    @Test func typeIDsByCategory() {
        #expect(registry.typeIDs(in: .error) == [1])
        #expect(registry.typeIDs(in: .cron) == [4001, 4002, 4003])
        #expect(registry.typeIDs(in: .replay) == [5001, 5002, 5003])
        #expect(registry.typeIDs(in: .feedback) == [6001])
        #expect(registry.typeIDs(in: .uptime) == [7001])
        #expect(registry.typeIDs(in: .metricAlert) == [8002])
        #expect(registry.typeIDs(in: .profile).isEmpty)
        #expect(registry.typeIDs(in: .performance).count == 25)
        #expect(registry.typeIDs(in: .performance).allSatisfy { (1001...2011).contains($0) })
    }

    @Test func lookupBySlug() {
        #expect(registry.type(slug: "meow") == nil)
        #expect(registry.type(slug: "") == nil)
        #expect(registry.type(slug: "Feedback") == nil)
        #expect(registry.type(slug: "feedback")?.id == 6001)
        #expect(registry.type(slug: "error")?.id == 1)
    }

    // MARK: Custom registries

    @Test func duplicateIDThrows() throws {
        let types = [
            GroupType(id: 1, slug: "error", description: "Error", category: .error),
            GroupType(id: 900, slug: "a", description: "A", category: .performance),
            GroupType(id: 900, slug: "b", description: "B", category: .replay),
        ]
        let error = try #require(#expect(throws: GroupTypeRegistry.DuplicateTypeID.self) { try GroupTypeRegistry(types) })
        #expect(error.id == 900)
        #expect(error.description.contains("900"))
    }

    @Test func duplicateSlugKeepsTheFirstType() throws {
        let registry = try GroupTypeRegistry([
            GroupType(id: 20, slug: "shared", description: "Second by id, first registered", category: .cron),
            GroupType(id: 10, slug: "shared", description: "First by id, second registered", category: .replay),
        ])
        #expect(registry.type(slug: "shared")?.id == 20)
        // Both are still known by id, and `all` is ordered by id.
        #expect(registry.all.map(\.id) == [10, 20])
        #expect(registry.type(id: 10)?.category == .replay)
    }

    @Test func customRegistryExtendsTheStandardTypes() throws {
        let custom = GroupType(id: 9001, slug: "custom_thing", description: "Custom", category: .error)
        let registry = try GroupTypeRegistry(GroupTypeRegistry.standard.all + [custom])
        #expect(registry.type(slug: "custom_thing")?.id == 9001)
        #expect(registry.typeIDs(in: .error) == [1, 9001])
        // A new type gets Sentry's GroupType class defaults.
        #expect(custom.defaultPriority == .medium && !custom.released && custom.noiseConfig == nil)
        #expect(custom.creationQuota == Quota() && custom.inDefaultSearch)
        #expect(custom.enableAutoResolve && custom.enableEscalationDetection)
    }

    @Test func emptyRegistry() throws {
        let registry = try GroupTypeRegistry([])
        #expect(registry.all.isEmpty)
        #expect(registry.type(id: 1) == nil)
        #expect(registry.typeIDs(in: .error).isEmpty)
    }
}
