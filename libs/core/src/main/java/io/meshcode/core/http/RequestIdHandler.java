package io.meshcode.core.http;

import io.meshcode.core.ids.Ids;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id, kept from {@code X-Request-Id} when the caller (or the gateway, for a
 * service) sent a sane one, else made new, and echoed in the response so a person can quote it.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "meshcode.requestId";
  /** The field of every log line written for a request (libs/core's logback.xml). */
  public static final String MDC_KEY = "requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "-";
  }

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : Ids.newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    // What the handlers log before their first asynchronous step carries the id; the failure
    // handler, which runs later, sets it again ({@link #inMdc}).
    MDC.put(MDC_KEY, id);
    try {
      ctx.next();
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** Puts the request's id in the MDC until the returned scope closes: for logging from a callback. */
  public static MDC.MDCCloseable inMdc(RoutingContext ctx) {
    return MDC.putCloseable(MDC_KEY, requestId(ctx));
  }
}
