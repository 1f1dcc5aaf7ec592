package io.meshcode.core.http;

import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** Keeps secrets out of log lines: an invite or spectator token can stand in a URL path. */
public final class LogSafe {

  private static final Pattern SECRET = Pattern.compile("mc_[a-z]*_?[A-Za-z0-9]{8,}");

  private LogSafe() {}

  public static String redact(String text) {
    return text == null ? null : SECRET.matcher(text).replaceAll("mc_…");
  }

  public static String path(RoutingContext ctx) {
    return redact(ctx.request().path());
  }
}
