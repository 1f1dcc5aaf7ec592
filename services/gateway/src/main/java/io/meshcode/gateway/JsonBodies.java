package io.meshcode.gateway;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.StrictDecoding;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * What the API takes as a request body: JSON only, said so exactly, and strict. The media type is
 * matched whole and without regard to case ({@code application/jsonx} is not JSON), with no
 * parameter but {@code charset=utf-8}; a body of another type is 415 before a byte of it is read,
 * so a multipart upload is never parsed, let alone written to disk. The body itself must be
 * strict JSON ({@link StrictDecoding#jsonProblem}): the services' parser takes comments and
 * {@code NaN}, and would store what the caller did not mean.
 */
final class JsonBodies {

  static final String JSON = "application/json";

  private JsonBodies() {}

  /** Before the body is read: 415 for a body that is not said to be JSON; the type is then written in one canonical form. */
  static void requireJsonType(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (!hasBody(request)) {
      ctx.next();
      return;
    }
    if (type == null || !isJson(type)) {
      ctx.fail(new ApiException(415, "unsupported_media_type",
          "the request body must be JSON, sent as Content-Type: application/json"));
      return;
    }
    request.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
    ctx.next();
  }

  /** After the body is read: 400 naming what is not strict JSON in it. */
  static void requireStrictJson(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body != null && body.length() > 0) {
      String problem = StrictDecoding.jsonProblem(body.getBytes());
      if (problem != null) {
        ctx.fail(ApiException.badRequest(problem));
        return;
      }
    }
    ctx.next();
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.equals("0"));
  }

  /** {@code application/json}, any case, with at most a UTF-8 charset parameter. */
  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(JSON)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!parameter.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }
}
