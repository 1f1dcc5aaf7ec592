package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Accounts and owner keys in the gateway's own schema. Keys are stored as SHA-256 hashes only. */
final class AccountRepository {

  /**
   * An owner key as the account it belongs to, and its own id (the rate limit counts by it);
   * {@code cliSeen}: whether the meshcode command has called with one of the account's keys yet.
   */
  record OwnerKey(String keyId, Account account, boolean cliSeen) {}

  /** A key just made: the only moment its text exists outside its holder's hands. */
  record NewKey(String id, String key, String prefix, String label, OffsetDateTime createdAt) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("key", key).put("prefix", prefix).put("label", label)
          .put("created_at", createdAt.toString());
    }
  }

  /** An account just made, with its first key. */
  record NewAccount(Account account, NewKey key) {
    JsonObject toJson() {
      return new JsonObject()
          .put("account", new JsonObject().put("id", account.id()).put("name", account.name()).put("admin", account.admin()))
          .put("key", key.toJson());
    }
  }

  private static final String INSERT_ADMIN = """
      INSERT INTO accounts (id, name, is_admin) VALUES ($1, 'admin', true)
      ON CONFLICT (is_admin) WHERE is_admin DO NOTHING
      """;

  static final String SELECT_ADMIN = """
      SELECT id FROM accounts WHERE is_admin
      """;

  private static final String INSERT_ACCOUNT = """
      INSERT INTO accounts (id, name) VALUES ($1, $2)
      """;

  static final String INSERT_KEY = """
      INSERT INTO api_keys (id, account_id, key_hash, key_prefix, label) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (key_hash) DO NOTHING
      RETURNING created_at
      """;

  static final String SELECT_KEYS = """
      SELECT id, key_prefix, label, created_at, revoked_at FROM api_keys
       WHERE account_id = $1 ORDER BY id
      """;

  static final String REVOKE_KEY = """
      UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
       WHERE id = $1 AND account_id = $2
      RETURNING id
      """;

  // Only the first of racing requests (on any replica) sets it; the rest change nothing.
  static final String MARK_CLI_SEEN = """
      UPDATE accounts SET cli_first_seen_at = now() WHERE id = $1 AND cli_first_seen_at IS NULL
      """;

  static final String SELECT_CLI_SEEN = """
      SELECT cli_first_seen_at FROM accounts WHERE id = $1
      """;

  /** The type of the record on {@code mesh.auth} that says an owner key was revoked. */
  static final String OWNER_KEY_REVOKED = "owner_key.revoked";

  private final Pool pool;
  private final OwnerKeyLookups lookups;

  AccountRepository(Pool pool) {
    this.pool = pool;
    this.lookups = new OwnerKeyLookups(pool);
  }

  /**
   * Makes the admin account if there is none and registers {@code key} as one of its owner keys.
   * Safe to run on every start and from several replicas at once.
   */
  Future<Void> ensureBootstrapKey(String key) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_ADMIN).execute(Tuple.of(Ids.newUuid()))
        .compose(ignored -> conn.preparedQuery(SELECT_ADMIN).execute())
        .compose(rows -> insertKey(conn, rows.iterator().next().getUUID("id"), key, "bootstrap"))
        .mapEmpty());
  }

  /** The owner an unrevoked owner key belongs to. */
  Future<Optional<OwnerKey>> findByOwnerKey(String key) {
    return findByOwnerKeyHash(SecretKeys.hash(key));
  }

  /**
   * The owner an unrevoked owner key belongs to, found by the key's SHA-256 hash: by a query that
   * starts after this call, shared with the lookups asked meanwhile ({@link OwnerKeyLookups}).
   */
  Future<Optional<OwnerKey>> findByOwnerKeyHash(byte[] keyHash) {
    return lookups.find(keyHash);
  }

  /** Records that the meshcode command has called with one of the account's keys, unless that is known already. */
  Future<Void> markCliSeen(String accountId) {
    return pool.preparedQuery(MARK_CLI_SEEN).execute(Tuple.of(UUID.fromString(accountId))).mapEmpty();
  }

  /** When the meshcode command first called with one of the account's keys; empty if it has not yet. */
  Future<Optional<OffsetDateTime>> cliFirstSeen(String accountId) {
    return pool.preparedQuery(SELECT_CLI_SEEN).execute(Tuple.of(UUID.fromString(accountId)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getOffsetDateTime("cli_first_seen_at")));
  }

  /** A new owner account with its first key. */
  Future<NewAccount> createAccount(String name) {
    UUID accountId = Ids.newUuid();
    String key = SecretKeys.generate(SecretKeys.OWNER);
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_ACCOUNT).execute(Tuple.of(accountId, name))
        .compose(ignored -> insertKey(conn, accountId, key, "first key")))
        .map(created -> new NewAccount(new Account(accountId.toString(), name, false), created));
  }

  Future<NewKey> createKey(String accountId, String label) {
    return pool.withConnection(conn -> insertKey(conn, UUID.fromString(accountId), SecretKeys.generate(SecretKeys.OWNER), label));
  }

  Future<JsonArray> listKeys(String accountId) {
    return pool.preparedQuery(SELECT_KEYS).execute(Tuple.of(UUID.fromString(accountId))).map(rows -> {
      JsonArray keys = new JsonArray();
      for (Row row : rows) {
        keys.add(new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put("prefix", row.getString("key_prefix"))
            .put("label", row.getString("label"))
            .put("created_at", row.getOffsetDateTime("created_at").toString())
            .put("revoked_at", row.getOffsetDateTime("revoked_at") == null ? null : row.getOffsetDateTime("revoked_at").toString()));
      }
      return keys;
    });
  }

  /**
   * Revokes one of the account's keys, and reports it on {@code mesh.auth} in the same
   * transaction (every replica re-checks the keys of its open streams); false when the account
   * has no key by that id. Revoking twice is harmless.
   */
  Future<Boolean> revokeKey(String accountId, String keyId) {
    return pool.withTransaction(conn -> conn.preparedQuery(REVOKE_KEY)
        .execute(Tuple.of(UUID.fromString(keyId), UUID.fromString(accountId)))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          // Keyed by the account: an owner key belongs to no meshwork. No secret: ids only.
          JsonObject record = EventEnvelope.ofAccount(OWNER_KEY_REVOKED, accountId, new JsonObject().put("key_id", keyId));
          return Outbox.append(conn, Topics.AUTH, accountId, record).map(true);
        }));
  }

  private static Future<NewKey> insertKey(SqlConnection conn, UUID accountId, String key, String label) {
    UUID id = Ids.newUuid();
    String prefix = SecretKeys.displayPrefix(key);
    return conn.preparedQuery(INSERT_KEY)
        .execute(Tuple.of(id, accountId, Buffer.buffer(SecretKeys.hash(key)), prefix, label))
        .map(rows -> new NewKey(id.toString(), key, prefix, label,
            rows.size() == 0 ? OffsetDateTime.now() : rows.iterator().next().getOffsetDateTime("created_at")));
  }
}
