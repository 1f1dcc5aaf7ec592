package io.meshcode.core.http;

import io.vertx.core.json.JsonObject;

/** The one error shape every MeshCode service answers with: {@code {"error":{"code","message"}}}. */
public final class ErrorBody {

  private ErrorBody() {}

  public static JsonObject of(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  /** The default code for a status, for failures that carry no code of their own. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 409 -> "conflict";
      case 410 -> "gone";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 429 -> "rate_limited";
      case 431 -> "headers_too_large";
      case 502 -> "bad_gateway";
      case 503 -> "unavailable";
      case 504 -> "gateway_timeout";
      case 505 -> "http_version_not_supported";
      default -> status >= 500 ? "internal" : "error";
    };
  }

  public static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "the request is malformed";
      case 401 -> "authentication is required";
      case 403 -> "this key may not do that";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "the request body is too large";
      case 415 -> "the request body must be JSON";
      default -> status >= 500 ? "internal error" : "request failed";
    };
  }
}
