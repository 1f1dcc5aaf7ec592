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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's static files, from the gateway's resources: the page at {@code /dashboard} and
 * the scripts and style sheet that {@code dashboard/files.txt} lists. No build step and nothing
 * from another origin; the Content-Security-Policy lets only these files run, so nothing the API
 * answers can become markup or script, and the page cannot be framed. The page itself is never
 * cached; the other files are revalidated by their ETag, so a new gateway version is picked up at
 * once.
 *
 * <p>A spectator link, {@code /watch/<token>}, opens the same page one folder deeper: its copy
 * names the files with {@code ../}, and the script, seeing the {@code /watch/} path, signs in with
 * the link's token and renders read-only. The token is not checked here, so an unknown token costs
 * no lookup and the page itself says the link does not hold.
 */
final class DashboardPage {

  static final String PATH = "/dashboard";
  static final String WATCH_PATH = "/watch/:token";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String FOLDER = "dashboard/";

  private record Asset(String contentType, Buffer body, String etag, String cacheControl) {}

  private final Map<String, Asset> assets;
  private final Asset watchPage;

  private DashboardPage(Map<String, Asset> assets, Asset watchPage) {
    this.assets = assets;
    this.watchPage = watchPage;
  }

  /** Reads the files from the classpath, off the event loop. */
  static Future<DashboardPage> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      Map<String, Asset> assets = new LinkedHashMap<>();
      byte[] index = read("index.html");
      assets.put(PATH, asset(index, "index.html", "no-store"));
      for (String name : new String(read("files.txt"), StandardCharsets.UTF_8).split("\n")) {
        String file = name.strip();
        if (!file.isEmpty() && !file.startsWith("#")) {
          assets.put(PATH + "/" + file, asset(read(file), file, "no-cache"));
        }
      }
      // The page's links are relative ("dashboard/app.js"); one folder deeper they need "../".
      byte[] watch = new String(index, StandardCharsets.UTF_8)
          .replace("=\"" + FOLDER, "=\"../" + FOLDER).getBytes(StandardCharsets.UTF_8);
      return new DashboardPage(assets, asset(watch, "index.html", "no-store"));
    });
  }

  void mount(Router root) {
    assets.forEach((path, asset) -> root.get(path).handler(ctx -> serve(ctx, asset)));
    root.get(WATCH_PATH).handler(ctx -> serve(ctx, watchPage));
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

  private static byte[] read(String name) {
    String resource = FOLDER + name;
    try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the gateway's resources lack " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource + " failed", e);
    }
  }

  private static Asset asset(byte[] bytes, String name, String cacheControl) {
    return new Asset(contentType(name), Buffer.buffer(bytes), etag(bytes), cacheControl);
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".txt")) {
      return "text/plain; charset=utf-8";
    }
    throw new IllegalStateException("dashboard/files.txt lists " + name + ", of no known type");
  }

  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
