package io.meshcode.testkit;

/** A request and the body it carries, to try against several callers. */
public record ApiCall(String method, String path, Object body) {

  public ApiResponse as(ApiCaller caller) {
    return caller.send(method, path, body);
  }
}
