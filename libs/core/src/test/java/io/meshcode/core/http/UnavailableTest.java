package io.meshcode.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A database that cannot be reached is told apart from a bug")
class UnavailableTest {

  @Test
  @DisplayName("refused connections, closed connections, shutdowns and crash recovery are 'down'")
  void down() {
    assertThat(Unavailable.isDatabaseDown(new ConnectException("Connection refused"))).isTrue();
    assertThat(Unavailable.isDatabaseDown(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    assertThat(Unavailable.isDatabaseDown(VertxException.noStackTrace("Connection is closed"))).isTrue();
    assertThat(Unavailable.isDatabaseDown(new PgException("the database system is shutting down", "FATAL", "57P03", null))).isTrue();
    assertThat(Unavailable.isDatabaseDown(new PgException("terminating connection", "FATAL", "57P01", null))).isTrue();
  }

  @Test
  @DisplayName("other database errors and plain bugs are not")
  void notDown() {
    assertThat(Unavailable.isDatabaseDown(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
    assertThat(Unavailable.isDatabaseDown(new IllegalStateException("bug"))).isFalse();
    assertThat(Unavailable.isDatabaseDown(null)).isFalse();
  }
}
