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
    assertThat(html).contains("<script type=\"module\" src=\"dashboard/app.js\"></script>")
        .contains("href=\"dashboard/app.css\"")
        .contains("Sign in by running: <code>meshcode dashboard</code>");
    assertThat(html).as("no inline script").doesNotContainPattern("<script(?![^>]*\\bsrc=)");
    assertThat(html).as("no inline handlers or styles").doesNotContainPattern("\\son[a-z]+=").doesNotContainPattern("\\sstyle=");
    assertThat(html).as("nothing from another origin").doesNotContainPattern("(src|href)=\"(https?:)?//");
  }

  @Test
  @DisplayName("serves every listed script and the style sheet, revalidated by their ETag, and nothing unlisted")
  void assets() throws Exception {
    long total = 0;
    for (String file : listedFiles()) {
      HttpResponse<String> asset = TestHttp.get(mesh.port(), "/dashboard/" + file);
      assertThat(asset.statusCode()).as(file).isEqualTo(200);
      assertThat(asset.headers().firstValue("Content-Type")).as(file)
          .hasValue(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
      assertThat(asset.headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertLockedDown(asset);
      assertThat(asset.body()).as(file + " writes text, never markup, and keeps no credential in a cookie or localStorage")
          .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write").doesNotContain("document.cookie").doesNotContain("eval(")
          .doesNotContainPattern("localStorage\\.(setItem|getItem)\\((?!\"meshcode\\.lead\\.)");
      total += asset.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    total += TestHttp.get(mesh.port(), "/dashboard").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(total).as("the page's own JavaScript, CSS and HTML, libraries included").isLessThan(300 * 1024);
    assertThat(TestHttp.get(mesh.port(), "/dashboard/app.js").body()).contains("v1/tickets/redeem").contains("sessionStorage");
    String html = TestHttp.get(mesh.port(), "/dashboard").body();
    for (String module : listedFiles().stream().filter(file -> file.endsWith(".js") && !file.equals("app.js")).toList()) {
      assertThat(html).as("every module app.js imports is preloaded with it").contains("<link rel=\"modulepreload\" href=\"dashboard/" + module + "\">");
    }

    String etag = TestHttp.get(mesh.port(), "/dashboard/app.js").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = TestHttp.send(mesh.port(), "GET", "/dashboard/app.js", null, null, Map.of("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    assertThat(TestHttp.get(mesh.port(), "/dashboard/secrets.txt").statusCode()).isEqualTo(404);
    assertThat(TestHttp.get(mesh.port(), "/dashboard/files.txt").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a spectator link opens the same page one folder deeper, locked down, never repeating its token")
  void watchPage() {
    String token = "mc_spec_" + "b".repeat(43);
    HttpResponse<String> page = TestHttp.get(mesh.port(), "/watch/" + token);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertLockedDown(page);
    assertThat(page.body()).contains("<script type=\"module\" src=\"../dashboard/app.js\"></script>")
        .contains("href=\"../dashboard/app.css\"").doesNotContain(token).doesNotContain("\"dashboard/");

    HttpResponse<String> hostile = TestHttp.get(mesh.port(), "/watch/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assertThat(hostile.body()).doesNotContain("<script>alert").doesNotContain("alert(1)");
    assertThat(TestHttp.get(mesh.port(), "/watch/" + token + "/more").statusCode()).isEqualTo(404);
  }

  /** The files dashboard/files.txt lists: what the gateway serves besides the page. */
  private static java.util.List<String> listedFiles() throws java.io.IOException {
    try (var in = DashboardPage.class.getClassLoader().getResourceAsStream("dashboard/files.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
  }
}
