import AtriumCluster
import AtriumPostgres

/// The room-ownership directory in PostgreSQL: one row per room instance with its owner
/// node, generation, expiry and population. PostgreSQL's clock decides expiry
/// (`statement_timestamp()`, the moment the statement reached the server, which is after
/// the node sent it, as ``LeaseKeeper``'s reckoning assumes), so the nodes' clocks never
/// have to agree.
///
/// Each operation is one atomic statement:
/// - claim: `INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= now` raises the
///   generation only when the lease has run out (or was released). Two claims of one
///   instance serialize on the row: the second waits for the first to commit, then sees
///   an unexpired lease and changes nothing. The owner is then read by a second
///   statement with a fresh snapshot, which sees the winner's commit.
/// - renew and release: `UPDATE … WHERE node AND generation` (and, for a renewal, not
///   expired), so a node that lost its lease can neither extend nor end its successor's.
///
/// Requests go pipelined over one connection of its own, so renewals never wait behind
/// the bus. A claim is not resent after a broken connection (it answers
/// ``ClaimAnswer/failed``; the node's next seat request claims again), renewals, releases
/// and lookups are, since running them twice changes nothing.
public final class PostgresRoomDirectory: ClusterDirectory, Sendable {
    private let connection: PostgresConnection

    /// - Parameter connection: a started connection on a database migrated by ``PostgresCluster``.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func claim(_ instance: RoomInstance, node: String, lease: Duration, completion: @escaping @Sendable (ClaimAnswer) -> Void) {
        let key: [PostgresValue] = [.text(instance.room), .int(Int64(instance.number))]
        connection.transaction([
            PostgresStatement("""
                INSERT INTO cluster_leases AS lease (room, number, node, generation, expires_at, population)
                VALUES ($1, $2, $3, 1, statement_timestamp() + $4::float8 * interval '1 millisecond', 0)
                ON CONFLICT (room, number) DO UPDATE
                    SET node = EXCLUDED.node, generation = lease.generation + 1, expires_at = EXCLUDED.expires_at, population = 0
                    WHERE lease.expires_at <= statement_timestamp()
                RETURNING generation
                """, key + [.text(node), .int(lease.milliseconds)]),
            PostgresStatement("SELECT node, generation FROM cluster_leases WHERE room = $1 AND number = $2", key),
        ]) { result in
            guard case .success(let results) = result else { return completion(.failed) }
            if let generation = results[0].rows.first?.int(0) { return completion(.granted(generation: generation)) }
            guard let row = results[1].rows.first, let owner = row.text(0), let generation = row.int(1) else {
                return completion(.failed)
            }
            completion(.heldBy(LeaseOwner(node: owner, generation: generation)))
        }
    }

    public func renew(_ instance: RoomInstance, node: String, generation: Int64, lease: Duration, population: Int,
                      completion: @escaping @Sendable (RenewAnswer) -> Void) {
        connection.transaction([PostgresStatement("""
            UPDATE cluster_leases
            SET expires_at = statement_timestamp() + $5::float8 * interval '1 millisecond', population = $6
            WHERE room = $1 AND number = $2 AND node = $3 AND generation = $4 AND expires_at > statement_timestamp()
            """, [.text(instance.room), .int(Int64(instance.number)), .text(node), .int(generation), .int(lease.milliseconds),
                  .int(Int64(population))])], idempotent: true) { result in
            switch result {
            case .success(let results): completion(results[0].affectedRows == 1 ? .renewed : .lost)
            case .failure: completion(.failed)
            }
        }
    }

    public func release(_ instance: RoomInstance, node: String, generation: Int64, completion: @escaping @Sendable () -> Void) {
        connection.transaction([PostgresStatement("""
            UPDATE cluster_leases SET expires_at = '-infinity', population = 0
            WHERE room = $1 AND number = $2 AND node = $3 AND generation = $4
            """, [.text(instance.room), .int(Int64(instance.number)), .text(node), .int(generation)])], idempotent: true) { _ in
            completion()
        }
    }

    public func lookup(room: String?, completion: @escaping @Sendable (Result<[DirectoryEntry], DirectoryError>) -> Void) {
        connection.transaction([PostgresStatement("""
            SELECT room, number, node, generation, population FROM cluster_leases
            WHERE expires_at > statement_timestamp() AND ($1::text IS NULL OR room = $1)
            """, [.text(room)])], idempotent: true) { result in
            completion(result.map { results in
                results[0].rows.compactMap { row -> DirectoryEntry? in
                    guard let room = row.text(0), let number = row.int(1), let node = row.text(2), let generation = row.int(3)
                    else { return nil }
                    return DirectoryEntry(instance: RoomInstance(room: room, number: Int(number)),
                                          owner: LeaseOwner(node: node, generation: generation),
                                          population: Int(row.int(4) ?? 0))
                }.sorted { $0.instance < $1.instance }
            }.mapError { DirectoryError($0.description) })
        }
    }
}

extension Duration {
    /// Whole milliseconds, as the directory's statements take a lease.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
