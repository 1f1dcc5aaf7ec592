package io.meshcode.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's static files, from the gateway's resources: the page at {@code /dashboard}, its
 * script and its style sheet. No build step and nothing from another origin; the
 * Content-Security-Policy lets only these files run, so nothing the API answers can become markup
 * or script, and the page cannot be framed. The page itself is never cached; the script and style
 * sheet are revalidated by their ETag, so a new gateway version is picked up at once.
 */
final class DashboardPage {

  static final String PATH = "/dashboard";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(String contentType, Buffer body, String etag, String cacheControl) {}

  private final Map<String, Asset> assets;

  private DashboardPage(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads the files from the classpath, off the event loop. */
  static Future<DashboardPage> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      Map<String, Asset> assets = new LinkedHashMap<>();
      assets.put(PATH, asset("index.html", "text/html; charset=utf-8", "no-store"));
      assets.put(PATH + "/app.js", asset("app.js", "text/javascript; charset=utf-8", "no-cache"));
      assets.put(PATH + "/app.css", asset("app.css", "text/css; charset=utf-8", "no-cache"));
      return new DashboardPage(assets);
    });
  }

  void mount(Router root) {
    assets.forEach((path, asset) -> root.get(path).handler(ctx -> serve(ctx, asset)));
  }

  private static void serve(RoutingContext ctx, Asset asset) {
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cache-Control", asset.cacheControl())
        .putHeader("ETag", asset.etag());
    if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", asset.contentType()).end(asset.body());
  }

  private static Asset asset(String name, String contentType, String cacheControl) {
    String resource = "dashboard/" + name;
    try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the gateway's resources lack " + resource);
      }
      byte[] bytes = in.readAllBytes();
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
      return new Asset(contentType, Buffer.buffer(bytes), etag, cacheControl);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource + " failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
