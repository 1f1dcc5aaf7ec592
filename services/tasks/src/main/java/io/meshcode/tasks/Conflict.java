package io.meshcode.tasks;

import io.meshcode.core.http.ErrorBody;
import io.meshcode.core.http.Reply;
import io.vertx.core.json.JsonObject;

/**
 * A 409 that tells the caller what stands in the way: the error shape's code and message plus
 * fields of its own inside {@code error} (the holder of a task, the current version, the
 * reservations in the way), so a client can act without parsing the message.
 */
final class Conflict extends RuntimeException {

  private final String code;
  private final JsonObject details;

  Conflict(String code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  String code() {
    return code;
  }

  /** The answer: {@code {"error":{"code","message", …details}}}. */
  Reply reply() {
    JsonObject body = ErrorBody.of(code, getMessage());
    body.getJsonObject("error").mergeIn(details);
    return new Reply(409, body);
  }
}
