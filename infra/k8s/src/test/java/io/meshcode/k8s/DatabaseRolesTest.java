package io.meshcode.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.meshcode.core.db.Database;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.embedded.EmbeddedPostgresServer;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What CloudNativePG would do with the prod overlay's {@code Cluster}, done on a real PostgreSQL:
 * initdb's database and owner, the bootstrap SQL as rendered, each managed role made a login with
 * its password and connection limit; then every service's own migrations, run as its role, as the
 * service runs them at start. Proves that owning its schema is all a role needs, and that it can
 * reach nothing else.
 */
@DisplayName("The database roles of the CloudNativePG cluster, on a real PostgreSQL")
class DatabaseRolesTest {

  /** SQLSTATE insufficient_privilege. */
  private static final String DENIED = "42501";

  @Test
  @DisplayName("each service migrates its schema as its own role with no other right, and cannot read another's schema, make a schema, or write to public")
  void rolesOwnTheirSchemasAndNothingElse() throws Exception {
    CnpgCluster.Spec spec = Rendered.only("prod", CnpgCluster.class).getSpec();
    String database = spec.bootstrap().initdb().database();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cnpg-roles");
    Map<String, String> passwords = spec.managed().roles().stream()
        .collect(Collectors.toMap(CnpgCluster.Role::name, role -> UUID.randomUUID().toString()));
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("postgres"), 0)) {
      try (Connection superuser = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement sql = superuser.createStatement()) {
        sql.execute("CREATE ROLE " + spec.bootstrap().initdb().owner() + " LOGIN");
        sql.execute("CREATE DATABASE " + database + " OWNER " + spec.bootstrap().initdb().owner());
        sql.execute("CREATE ROLE stranger LOGIN PASSWORD 'stranger'");
      }
      try (Connection superuser = connect(pg, database, pg.user(), pg.password()); Statement sql = superuser.createStatement()) {
        for (String statement : spec.bootstrap().initdb().postInitApplicationSQL()) {
          sql.execute(statement);
        }
        // What managed.roles then does to each role.
        for (CnpgCluster.Role role : spec.managed().roles()) {
          sql.execute("ALTER ROLE " + role.name() + " LOGIN CONNECTION LIMIT " + role.connectionLimit()
              + " PASSWORD '" + passwords.get(role.name()) + "'");
        }
      }

      Vertx vertx = Vertx.vertx();
      try {
        for (Deployment deployment : Rendered.all("prod", Deployment.class)) {
          String service = deployment.getMetadata().getName();
          String role = Rendered.environment("prod", deployment).get("MESHCODE_DB_USER");
          DatabaseSettings settings = new DatabaseSettings(pg.host(), pg.port(), database, role, passwords.get(role), 2);
          assertThat(TestServices.await(Database.migrate(vertx, settings, service))).as(service + " migrated").isPositive();
        }
      } finally {
        TestServices.await(vertx.close());
      }

      try (Connection bus = connect(pg, database, "bus", passwords.get("bus")); Statement sql = bus.createStatement()) {
        assertDenied(() -> sql.executeQuery("SELECT count(*) FROM gateway.flyway_schema_history"));
        assertDenied(() -> sql.execute("CREATE SCHEMA bus_extra"));
        assertDenied(() -> sql.execute("CREATE TABLE public.spill (id int)"));
        assertThat(sql.executeQuery("SELECT count(*) FROM bus.flyway_schema_history").next()).isTrue();
      }
      assertThatThrownBy(() -> connect(pg, database, "stranger", "stranger").close())
          .as("a role that is no service's cannot even connect").isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(DENIED));
    }
  }

  private static Connection connect(EmbeddedPostgresServer pg, String database, String user, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database, user, password);
  }

  private interface Attempt {
    void run() throws SQLException;
  }

  private static void assertDenied(Attempt attempt) {
    assertThatThrownBy(attempt::run).isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(DENIED));
  }
}
