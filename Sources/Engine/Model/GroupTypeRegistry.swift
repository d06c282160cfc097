/// The set of known issue types, looked up by id, slug or category.
///
/// `GroupTypeRegistry.standard` holds every type of Sentry's issue platform (section 7 of the
/// ingest reference). Embedders may build their own registry with extra types; ids must be unique.
public struct GroupTypeRegistry: Sendable {
    private let byID: [Int: GroupType]
    private let bySlug: [String: GroupType]

    /// Every registered type, ordered by id.
    public let all: [GroupType]

    /// Thrown by `init(_:)` for a duplicate id.
    public struct DuplicateTypeID: Error, Sendable, CustomStringConvertible {
        /// The id registered twice.
        public var id: Int
        public var description: String { "a group type with the id \(id) is already registered" }
    }

    /// Builds a registry. A duplicate id is an error; a duplicate slug keeps the first type, which
    /// avoids Sentry's quirk where the last subclass silently takes over a shared slug.
    public init(_ types: [GroupType]) throws(DuplicateTypeID) {
        var byID: [Int: GroupType] = [:]
        var bySlug: [String: GroupType] = [:]
        for type in types {
            guard byID[type.id] == nil else { throw DuplicateTypeID(id: type.id) }
            byID[type.id] = type
            if bySlug[type.slug] == nil { bySlug[type.slug] = type }
        }
        self.byID = byID
        self.bySlug = bySlug
        self.all = types.sorted { $0.id < $1.id }
    }

    /// The type with this id, or `nil`.
    public func type(id: Int) -> GroupType? { byID[id] }

    /// The type with this slug, or `nil`.
    public func type(slug: String) -> GroupType? { bySlug[slug] }

    /// The ids of every type in a category.
    public func typeIDs(in category: GroupCategory) -> Set<Int> {
        Set(all.filter { $0.category == category }.map(\.id))
    }
}

extension GroupType {
    /// Plain errors: the type of occurrences built from SDK error events.
    public static let error = GroupType(
        id: 1, slug: "error", description: "Error", category: .error, released: true,
        // Errors never passed Sentry's issue-platform creation quota (they are grouped by the event
        // pipeline), and 5 new error issues an hour would silently hide real bugs, so: no quota.
        creationQuota: nil)

    /// User feedback: each report is its own issue.
    public static let feedback = GroupType(
        id: 6001, slug: "feedback", description: "Feedback", category: .feedback, released: true,
        creationQuota: Quota(limit: 1000), inDefaultSearch: false)
}

extension GroupTypeRegistry {
    /// Every type of Sentry's issue platform, with Sentry's ids, slugs, priorities, noise configs
    /// and creation quotas.
    public static let standard: GroupTypeRegistry = {
        let performanceNoise = NoiseConfig()
        func noise(_ limit: Int) -> NoiseConfig { NoiseConfig(ignoreLimit: limit) }
        func performance(
            _ id: Int, _ slug: String, _ description: String, released: Bool = true, noise: NoiseConfig? = performanceNoise,
            priority: PriorityLevel = .low, autoResolve: Bool = true, escalation: Bool = true
        ) -> GroupType {
            GroupType(
                id: id, slug: slug, description: description, category: .performance, defaultPriority: priority,
                released: released, noiseConfig: noise, enableAutoResolve: autoResolve, enableEscalationDetection: escalation)
        }
        let types: [GroupType] = [
            .error,
            performance(1001, "performance_slow_db_query", "Slow DB Query", noise: noise(100)),
            performance(1004, "performance_render_blocking_asset_span", "Large Render Blocking Asset"),
            performance(1006, "performance_n_plus_one_db_queries", "N+1 Query"),
            performance(1007, "performance_consecutive_db_queries", "Consecutive DB Queries", noise: noise(15)),
            performance(1008, "performance_file_io_main_thread", "File IO on Main Thread"),
            performance(1009, "performance_consecutive_http", "Consecutive HTTP", noise: noise(5)),
            performance(1010, "performance_n_plus_one_api_calls", "N+1 API Call", noise: nil),
            performance(1011, "performance_m_n_plus_one_db_queries", "MN+1 Query"),
            performance(1012, "performance_uncompressed_assets", "Uncompressed Asset", noise: noise(100)),
            performance(1013, "performance_db_main_thread", "DB on Main Thread"),
            performance(1015, "performance_large_http_payload", "Large HTTP payload"),
            performance(1016, "performance_http_overhead", "HTTP/1.1 Overhead", released: false, noise: noise(20)),
            performance(
                1017, "performance_duration_regression", "Transaction Duration Regression (Experimental)", released: false,
                noise: nil, autoResolve: false, escalation: false),
            performance(
                1018, "performance_p95_endpoint_regression", "Endpoint Regression", noise: nil, priority: .medium,
                autoResolve: false, escalation: false),
            performance(
                1019, "performance_streamed_spans_exp", "Streamed Spans (Experimental)", released: false, noise: nil,
                autoResolve: false, escalation: false),
            performance(2001, "profile_file_io_main_thread", "File I/O on Main Thread", released: false, noise: nil),
            performance(2002, "profile_image_decode_main_thread", "Image Decoding on Main Thread", released: false, noise: nil),
            performance(2003, "profile_json_decode_main_thread", "JSON Decoding on Main Thread", released: false, noise: nil),
            performance(2004, "profile_core_data_main_exp", "Core Data on Main Thread", released: false, noise: nil),
            performance(2006, "profile_view_is_slow_experimental", "View Render/Layout/Update is slow", released: false, noise: nil),
            performance(2007, "profile_regex_main_thread", "Regex on Main Thread", noise: nil),
            performance(2008, "profile_frame_drop_experimental", "Frame Drop", released: false, noise: nil),
            performance(2009, "profile_frame_drop", "Frame Drop", noise: noise(2000)),
            performance(
                2010, "profile_function_regression_exp", "Function Duration Regression (Experimental)", released: false,
                noise: nil, autoResolve: false),
            performance(2011, "profile_function_regression", "Function Regression", noise: nil, priority: .medium, autoResolve: false),
            GroupType(
                id: 4001, slug: "monitor_check_in_failure", description: "Crons Monitor Failed", category: .cron,
                defaultPriority: .high, released: true, creationQuota: Quota(limit: 60_000)),
            // Sentry registers 4002/4003 as subclasses that inherit 4001's slug, so a slug lookup
            // returns whichever registered last. We give them their historical slugs instead.
            GroupType(
                id: 4002, slug: "monitor_check_in_timeout", description: "Crons Monitor Timed Out", category: .cron,
                defaultPriority: .high, released: true, creationQuota: Quota(limit: 60_000)),
            GroupType(
                id: 4003, slug: "monitor_check_in_missed", description: "Crons Monitor Missed", category: .cron,
                defaultPriority: .high, released: true, creationQuota: Quota(limit: 60_000)),
            GroupType(id: 5001, slug: "replay_click_dead", description: "Dead Click Detected", category: .replay),
            GroupType(id: 5002, slug: "replay_click_rage", description: "Rage Click Detected", category: .replay, released: true),
            GroupType(
                id: 5003, slug: "replay_hydration_error", description: "Hydration Error Detected", category: .replay, released: true),
            .feedback,
            GroupType(
                id: 7001, slug: "uptime_domain_failure", description: "Uptime Domain Monitor Failure", category: .uptime,
                defaultPriority: .high, released: true, creationQuota: Quota(limit: 1000), enableAutoResolve: false,
                enableEscalationDetection: false),
            GroupType(
                id: 8002, slug: "metric_issue_poc", description: "Metric Issue POC", category: .metricAlert, defaultPriority: .high,
                enableAutoResolve: false, enableEscalationDetection: false),
        ]
        // The list above is a literal with unique ids; a duplicate is a programming error caught by the tests.
        return try! GroupTypeRegistry(types)
    }()
}
