/// One kind of issue (Sentry's `GroupType`): its id on the wire, slug, category and the
/// defaults that govern how its issues are created.
public struct GroupType: Sendable, Hashable, Identifiable {
    /// The integer carried in the `type` field of occurrence messages.
    public var id: Int
    /// The stable name used in search (`issue.type:feedback`) and rule filters.
    public var slug: String
    /// Human-readable name.
    public var description: String
    /// The family the type belongs to.
    public var category: GroupCategory
    /// Priority of a new issue when the occurrence names none.
    public var defaultPriority: PriorityLevel
    /// Whether Sentry ships the type as generally available.
    ///
    /// notifyd has no feature flags, so unreleased types are ingested all the same; the flag is
    /// kept for listings and for embedders who want to hide experimental types.
    public var released: Bool
    /// `nil` = issues are created on the first sighting.
    public var noiseConfig: NoiseConfig?
    /// New issues per (project, type) allowed in a sliding window; `nil` = unlimited.
    public var creationQuota: Quota?
    /// `false` hides the type from the default issue stream unless searched for by category or type.
    public var inDefaultSearch: Bool
    /// Whether old unresolved issues of this type may be auto-resolved.
    public var enableAutoResolve: Bool
    /// Whether archived-until-escalating issues of this type are watched for escalation.
    public var enableEscalationDetection: Bool

    /// Creates a type; the defaults are Sentry's `GroupType` class defaults.
    public init(
        id: Int,
        slug: String,
        description: String,
        category: GroupCategory,
        defaultPriority: PriorityLevel = .medium,
        released: Bool = false,
        noiseConfig: NoiseConfig? = nil,
        creationQuota: Quota? = Quota(),
        inDefaultSearch: Bool = true,
        enableAutoResolve: Bool = true,
        enableEscalationDetection: Bool = true
    ) {
        self.id = id
        self.slug = slug
        self.description = description
        self.category = category
        self.defaultPriority = defaultPriority
        self.released = released
        self.noiseConfig = noiseConfig
        self.creationQuota = creationQuota
        self.inDefaultSearch = inDefaultSearch
        self.enableAutoResolve = enableAutoResolve
        self.enableEscalationDetection = enableEscalationDetection
    }
}
