package io.meshcode.core.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * The request targets a MeshCode server takes: a path and an optional query (origin-form), made
 * of printable ASCII with well-formed percent-encoding, with no empty ({@code //}) or dot ({@code .}, {@code ..}, encoded or not)
 * segment. Anything else is refused with 400 before any route runs: an absolute URL or a
 * {@code //host} path would otherwise be taken for a host by whoever resolves the target against
 * a base URL (the gateway, forwarding), and a dot segment means a different path to each reader.
 */
public final class RequestTarget {

  private RequestTarget() {}

  /**
   * What is wrong with {@code target} as a request target, in a sentence for the caller; null when
   * it is acceptable.
   */
  public static String problem(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      return "the request target must be a path starting with '/', not an absolute URL or '*'";
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') {
        return "the request target has a character that must be percent-encoded";
      }
      if (c == '%' && (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2)))) {
        return "the request target is not valid percent-encoding ('%' must be followed by two hex digits)";
      }
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    if (path.contains("//")) {
      return "the path has an empty segment ('//')";
    }
    for (String segment : path.split("/", -1)) {
      String dots = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
      if (dots.equals(".") || dots.equals("..")) {
        return "the path has a '.' or '..' segment";
      }
    }
    return null;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Runs {@code next} only for a request with an acceptable target; answers any other with 400 in
   * the error shape and closes the connection, since what follows such a request line is not to
   * be trusted either.
   */
  public static Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      String problem = problem(request.uri());
      if (problem == null) {
        next.handle(request);
        return;
      }
      request.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .putHeader("Connection", "close")
          .end(ErrorBody.of("bad_request", problem).encode())
          .onComplete(ignored -> request.connection().close());
    };
  }
}
