package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dashboard's files")
class DashboardPageTest {

  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static void assertLockedDown(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  @DisplayName("serves the page uncached under a strict Content-Security-Policy, with no inline script or style and nothing from elsewhere")
  void page() {
    HttpResponse<String> page = TestHttp.get(mesh.port(), "/dashboard");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertLockedDown(page);
    String html = page.body();
    assertThat(html).contains("<script src=\"dashboard/app.js\" defer></script>")
        .contains("href=\"dashboard/app.css\"")
        .contains("Sign in by running: <code>meshcode dashboard</code>");
    assertThat(html).as("no inline script").doesNotContainPattern("<script(?![^>]*\\bsrc=)");
    assertThat(html).as("no inline handlers or styles").doesNotContainPattern("\\son[a-z]+=").doesNotContainPattern("\\sstyle=");
    assertThat(html).as("nothing from another origin").doesNotContainPattern("(src|href)=\"(https?:)?//");
  }

  @Test
  @DisplayName("serves the script and the style sheet, revalidated by their ETag")
  void assets() {
    HttpResponse<String> script = TestHttp.get(mesh.port(), "/dashboard/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertLockedDown(script);
    assertThat(script.body()).contains("v1/tickets/redeem").contains("sessionStorage").doesNotContain("localStorage.")
        .doesNotContain("innerHTML").doesNotContain("document.cookie");

    String etag = script.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = TestHttp.send(mesh.port(), "GET", "/dashboard/app.js", null, null, Map.of("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    HttpResponse<String> style = TestHttp.get(mesh.port(), "/dashboard/app.css");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertLockedDown(style);

    assertThat(TestHttp.get(mesh.port(), "/dashboard/secrets.txt").statusCode()).isEqualTo(404);
  }
}
