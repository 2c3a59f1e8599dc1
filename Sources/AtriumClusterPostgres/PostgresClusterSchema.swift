import AtriumPostgres

/// The tables a cluster shares, apart from the store's: the room directory and the bus.
/// Kept under their own version row (`atrium_cluster_schema`), so the store and the
/// cluster migrate independently in one database.
///
/// - `cluster_leases`: one row per room instance ever claimed. A row is never deleted:
///   its `generation` only rises, and a released or expired lease is a row whose
///   `expires_at` has passed, so the next claim takes the next generation.
/// - `cluster_events`: the bus's durable rows, ids gapless and in commit order (see
///   ``PostgresBus``); `event` is the JSON of a ``ClusterEvent``.
/// - `cluster_cursors`: how far each node applied the bus.
enum PostgresClusterSchema {
    static let schema = PostgresSchema(versionTable: "atrium_cluster_schema", lockKey: lockKey, steps: [
        [
            """
            CREATE TABLE cluster_leases (
                room text NOT NULL, number integer NOT NULL, node text NOT NULL, generation bigint NOT NULL,
                expires_at timestamptz NOT NULL, population integer NOT NULL DEFAULT 0,
                PRIMARY KEY (room, number))
            """,
            "CREATE INDEX cluster_leases_expiry ON cluster_leases (expires_at)",
            """
            CREATE TABLE cluster_events (
                id bigint PRIMARY KEY, time bigint NOT NULL, origin text NOT NULL, event text NOT NULL)
            """,
            "CREATE TABLE cluster_cursors (node text PRIMARY KEY, cursor bigint NOT NULL)",
        ],
    ])

    /// `pg_advisory_lock` key for this schema's migrations: "AtrClu" in ASCII.
    static let lockKey: Int64 = 0x4174_7243_6C75
    /// `pg_advisory_xact_lock` key every publisher takes before numbering its event: "AtrBus".
    static let publishLockKey: Int64 = 0x4174_7242_7573
}
