internal import GRDB

extension SQLiteStore {
    /// The schema, as migrations. A shipped migration is never edited: add a new one.
    ///
    /// Times are stored as REAL seconds since 1970 (UTC), JSON as TEXT.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ingest") { db in
            try db.execute(sql: """
                CREATE TABLE organization (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL
                );
                CREATE TABLE project (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    organization_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                    slug TEXT NOT NULL,
                    name TEXT NOT NULL,
                    UNIQUE (organization_id, slug)
                );
                CREATE TABLE project_counter (
                    project_id INTEGER PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
                    value INTEGER NOT NULL
                );
                CREATE TABLE release (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    version TEXT NOT NULL,
                    date_added REAL NOT NULL,
                    new_groups INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (project_id, version)
                );
                CREATE INDEX release_by_date ON release (project_id, date_added);
                CREATE TABLE environment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    UNIQUE (project_id, name)
                );
                CREATE TABLE event (
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    event_id TEXT NOT NULL,
                    timestamp REAL NOT NULL,
                    received REAL NOT NULL,
                    platform TEXT NOT NULL,
                    level TEXT NOT NULL,
                    release TEXT,
                    environment TEXT,
                    tags TEXT NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (project_id, event_id)
                );
                CREATE TABLE issue_group (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    short_id INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    substatus INTEGER,
                    priority INTEGER NOT NULL,
                    priority_locked_at REAL,
                    level TEXT NOT NULL,
                    title TEXT NOT NULL,
                    culprit TEXT NOT NULL,
                    message TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    active_at REAL NOT NULL,
                    resolved_at REAL,
                    times_seen INTEGER NOT NULL,
                    first_release_id INTEGER REFERENCES release(id) ON DELETE SET NULL,
                    assignee TEXT,
                    metadata TEXT NOT NULL,
                    UNIQUE (project_id, short_id)
                );
                CREATE INDEX issue_group_by_last_seen ON issue_group (project_id, last_seen);
                CREATE TABLE group_hash (
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    hash TEXT NOT NULL,
                    group_id INTEGER REFERENCES issue_group(id) ON DELETE CASCADE,
                    PRIMARY KEY (project_id, hash)
                ) WITHOUT ROWID;
                CREATE INDEX group_hash_by_group ON group_hash (group_id);
                CREATE TABLE occurrence (
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    group_id INTEGER REFERENCES issue_group(id) ON DELETE CASCADE,
                    type INTEGER NOT NULL,
                    event_timestamp REAL NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (project_id, id)
                );
                CREATE INDEX occurrence_by_group ON occurrence (group_id, event_timestamp);
                CREATE TABLE group_environment (
                    group_id INTEGER NOT NULL REFERENCES issue_group(id) ON DELETE CASCADE,
                    environment_id INTEGER NOT NULL REFERENCES environment(id) ON DELETE CASCADE,
                    first_release_id INTEGER REFERENCES release(id) ON DELETE SET NULL,
                    first_seen REAL NOT NULL,
                    PRIMARY KEY (group_id, environment_id)
                ) WITHOUT ROWID;
                CREATE TABLE group_resolution (
                    group_id INTEGER PRIMARY KEY REFERENCES issue_group(id) ON DELETE CASCADE,
                    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
                    kind INTEGER,
                    current_release_version TEXT,
                    created_at REAL NOT NULL
                );
                CREATE TABLE activity (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    group_id INTEGER NOT NULL REFERENCES issue_group(id) ON DELETE CASCADE,
                    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    type INTEGER NOT NULL,
                    data TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX activity_by_group ON activity (group_id, id);
                CREATE TABLE noise_counter (
                    project_id INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    expires_at REAL NOT NULL,
                    PRIMARY KEY (project_id, hash)
                ) WITHOUT ROWID;
                CREATE TABLE quota_bucket (
                    key TEXT NOT NULL,
                    bucket_start INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (key, bucket_start)
                ) WITHOUT ROWID;
                CREATE TABLE processed_message (
                    id TEXT PRIMARY KEY,
                    processed_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX processed_message_by_time ON processed_message (processed_at);
                """)
        }
        migrator.registerMigration("v2-rules") { db in
            try db.execute(sql: """
                ALTER TABLE occurrence ADD COLUMN environment TEXT;
                ALTER TABLE occurrence ADD COLUMN user_key TEXT;
                -- The frequency and unique-user counts use occurrence_by_group (group_id, event_timestamp)
                -- and read the rows in the window; widening that index to cover environment and
                -- user_key made them index-only but cost ~8% of ingest throughput.
                CREATE TABLE rule_status (
                    rule_id TEXT NOT NULL,
                    group_id INTEGER NOT NULL REFERENCES issue_group(id) ON DELETE CASCADE,
                    last_fired REAL NOT NULL,
                    -- By issue first: evaluation reads every rule's state for one issue.
                    PRIMARY KEY (group_id, rule_id)
                ) WITHOUT ROWID;
                CREATE TABLE rule_fire_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    rule_id TEXT NOT NULL,
                    group_id INTEGER NOT NULL REFERENCES issue_group(id) ON DELETE CASCADE,
                    event_id TEXT,
                    notification_uuid TEXT NOT NULL,
                    fired_at REAL NOT NULL
                );
                CREATE INDEX rule_fire_history_by_group ON rule_fire_history (group_id, id);
                CREATE TABLE delivery (
                    id TEXT PRIMARY KEY,
                    channel TEXT NOT NULL,
                    target TEXT NOT NULL,
                    secret_env TEXT,
                    kind TEXT NOT NULL,
                    rule_ids TEXT NOT NULL,
                    rule_names TEXT NOT NULL,
                    organization_id INTEGER NOT NULL,
                    project_id INTEGER NOT NULL,
                    group_id INTEGER NOT NULL,
                    event_id TEXT,
                    notification_uuid TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    lease_owner TEXT,
                    lease_until REAL,
                    last_error TEXT,
                    delivered_at REAL
                );
                CREATE INDEX delivery_due ON delivery (state, next_attempt_at);
                CREATE TABLE delivery_attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_id TEXT NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
                    attempted_at REAL NOT NULL,
                    duration_ms REAL NOT NULL,
                    status_code INTEGER,
                    error TEXT,
                    outcome TEXT NOT NULL
                );
                CREATE INDEX delivery_attempt_by_delivery ON delivery_attempt (delivery_id, id);
                """)
        }
        migrator.registerMigration("v3-search") { db in
            try db.execute(sql: """
                -- Direct hits by event id, the release and tag filters and issue deletion go from an
                -- event to its occurrences; the primary key starts with the project and the id.
                CREATE INDEX occurrence_by_event ON occurrence (event_id, project_id);
                -- release:1.0 reads the events of that release instead of every event.
                CREATE INDEX event_by_release ON event (release);
                -- sort=new. first_seen is written when an issue is created and almost never again,
                -- so, unlike times_seen (sort=freq, rewritten on every occurrence), its index costs
                -- ingest next to nothing.
                CREATE INDEX issue_group_by_first_seen ON issue_group (project_id, first_seen);
                """)
        }
        migrator.registerMigration("v4-window-counts") { db in
            try db.execute(sql: """
                -- Frequency and unique-user triggers count an issue's occurrences in a window on
                -- every event, often in one environment; an index that also covers the environment
                -- and the user keeps the count in the index instead of a table lookup per
                -- occurrence. It replaces occurrence_by_group (same leading columns), so inserts
                -- maintain no more indexes than before.
                DROP INDEX occurrence_by_group;
                CREATE INDEX occurrence_by_group ON occurrence (group_id, event_timestamp, environment, user_key);
                """)
        }
        migrator.registerMigration("v5-console") { db in
            try db.execute(sql: """
                -- Signed-in console sessions: the digest of the cookie's id, never the id itself.
                CREATE TABLE console_session (
                    id_digest TEXT PRIMARY KEY,
                    token_name TEXT NOT NULL,
                    csrf_token TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    last_seen_at REAL NOT NULL
                ) WITHOUT ROWID;
                -- A rule's page lists its firings newest first, and the rules page each rule's last one.
                CREATE INDEX rule_fire_history_by_rule ON rule_fire_history (rule_id, id);
                -- An issue's page lists its deliveries; the outbox page pages through them newest first.
                CREATE INDEX delivery_by_group ON delivery (group_id, created_at);
                CREATE INDEX delivery_by_creation ON delivery (created_at, id);
                """)
        }
        migrator.registerMigration("v6-group-tags") { db in
            try db.execute(sql: """
                -- Which tag values each issue's events carried (Sentry's tagstore, without
                -- counts): tag filters in searches look here instead of reading every event's
                -- JSON. By key and value first, as searches ask; the issue's own rows go with it.
                CREATE TABLE group_tag_value (
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    group_id INTEGER NOT NULL REFERENCES issue_group(id) ON DELETE CASCADE,
                    PRIMARY KEY (key, value, group_id)
                ) WITHOUT ROWID;
                CREATE INDEX group_tag_value_by_group ON group_tag_value (group_id);
                INSERT OR IGNORE INTO group_tag_value (key, value, group_id)
                SELECT json_extract(t.value, '$[0]'), json_extract(t.value, '$[1]'), o.group_id
                FROM occurrence o JOIN event e ON e.project_id = o.project_id AND e.event_id = o.event_id, json_each(e.tags) t
                WHERE o.group_id IS NOT NULL AND json_extract(t.value, '$[0]') IS NOT NULL AND json_extract(t.value, '$[1]') IS NOT NULL;
                """)
        }
        migrator.registerMigration("v7-issue-text") { db in
            try db.execute(sql: """
                -- Free-text search: a trigram index over issue titles and messages, so a rare text
                -- finds its issues without reading every title. It indexes issue_group's own
                -- columns (no copy of the text); the triggers keep it current, and an update that
                -- leaves title and message as they were (most updates: a new occurrence) does
                -- not touch it.
                CREATE VIRTUAL TABLE issue_text USING fts5(title, message, content='issue_group', content_rowid='id', tokenize='trigram');
                INSERT INTO issue_text(issue_text) VALUES ('rebuild');
                CREATE TRIGGER issue_text_insert AFTER INSERT ON issue_group BEGIN
                    INSERT INTO issue_text(rowid, title, message) VALUES (new.id, new.title, new.message);
                END;
                CREATE TRIGGER issue_text_delete AFTER DELETE ON issue_group BEGIN
                    INSERT INTO issue_text(issue_text, rowid, title, message) VALUES ('delete', old.id, old.title, old.message);
                END;
                CREATE TRIGGER issue_text_update AFTER UPDATE OF title, message ON issue_group
                WHEN old.title IS NOT new.title OR old.message IS NOT new.message BEGIN
                    INSERT INTO issue_text(issue_text, rowid, title, message) VALUES ('delete', old.id, old.title, old.message);
                    INSERT INTO issue_text(rowid, title, message) VALUES (new.id, new.title, new.message);
                END;
                """)
        }
        return migrator
    }

    /// The tables `rowCounts()` reports, in schema order.
    static let tables = [
        "organization", "project", "project_counter", "release", "environment", "event", "issue_group", "group_hash",
        "occurrence", "group_environment", "group_resolution", "activity", "noise_counter", "quota_bucket", "processed_message",
        "rule_status", "rule_fire_history", "delivery", "delivery_attempt", "console_session", "group_tag_value",
    ]
}
