package io.meshcode.gateway;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** Accounts and owner keys in the gateway's own schema. */
final class AccountRepository {

  private static final String INSERT_ADMIN = """
      INSERT INTO accounts (id, name, is_admin) VALUES ($1, 'admin', true)
      ON CONFLICT (is_admin) WHERE is_admin DO NOTHING
      """;

  private static final String SELECT_ADMIN = """
      SELECT id FROM accounts WHERE is_admin
      """;

  private static final String INSERT_KEY = """
      INSERT INTO api_keys (id, account_id, key_hash, key_prefix, label) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (key_hash) DO NOTHING
      """;

  private static final String SELECT_BY_KEY = """
      SELECT a.id, a.name, a.is_admin
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL
      """;

  private final Pool pool;

  AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Makes the admin account if there is none and registers {@code key} as one of its owner keys.
   * Safe to run on every start and from several replicas at once.
   */
  Future<Void> ensureBootstrapKey(String key) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_ADMIN).execute(Tuple.of(Ids.newUuid()))
        .compose(ignored -> conn.preparedQuery(SELECT_ADMIN).execute())
        .compose(rows -> {
          UUID adminId = rows.iterator().next().getUUID("id");
          return conn.preparedQuery(INSERT_KEY).execute(Tuple.of(
              Ids.newUuid(), adminId, Buffer.buffer(SecretKeys.hash(key)), SecretKeys.displayPrefix(key), "bootstrap"));
        })
        .mapEmpty());
  }

  /** The account an unrevoked owner key belongs to. */
  Future<Optional<Account>> findByOwnerKey(String key) {
    return pool.preparedQuery(SELECT_BY_KEY)
        .execute(Tuple.of(Buffer.buffer(SecretKeys.hash(key))))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toAccount(rows.iterator().next())));
  }

  private static Account toAccount(Row row) {
    return new Account(row.getUUID("id").toString(), row.getString("name"), row.getBoolean("is_admin"));
  }
}
