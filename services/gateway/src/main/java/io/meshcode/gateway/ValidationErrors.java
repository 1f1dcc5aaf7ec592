package io.meshcode.gateway;

import io.meshcode.core.http.ErrorBody;
import io.meshcode.core.ids.Names;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request that failed validation against the OpenAPI document into a 400 that names the
 * field and what is wrong with it, rather than the validator's outermost (and least telling) error.
 */
final class ValidationErrors implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    // The router wraps the validator's exception in a 400 HttpException.
    Throwable failure = ctx.failure();
    ValidatorException invalid = failure instanceof ValidatorException direct ? direct
        : failure != null && failure.getCause() instanceof ValidatorException wrapped ? wrapped : null;
    if (invalid == null) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(400)
        .putHeader("Content-Type", "application/json")
        .end(ErrorBody.of("bad_request", describe(invalid)).encode());
  }

  static String describe(ValidatorException invalid) {
    // The validator cannot decode a parameter holding a C0 control character (%00-%1F); a broken
    // percent-encoding never gets this far (RequestTarget).
    Matcher undecodable = UNDECODABLE.matcher(String.valueOf(invalid.getMessage()));
    if (undecodable.find()) {
      return undecodable.group(1) + " parameter '" + undecodable.group(2) + "' must be text without control characters";
    }
    Matcher parameter = PARAMETER.matcher(String.valueOf(invalid.getMessage()));
    boolean isParameter = parameter.find();
    if (!(invalid instanceof SchemaValidationException schema) || schema.getOutputUnit() == null) {
      return invalid.getMessage();
    }
    List<OutputUnit> units = new ArrayList<>();
    collect(schema.getOutputUnit(), units);
    OutputUnit best = null;
    for (OutputUnit unit : units) {
      // The deepest value wins; for one value, the most specific keyword (the longest keyword path).
      if (best == null || depth(unit) > depth(best)
          || (depth(unit) == depth(best) && keywordDepth(unit) > keywordDepth(best))) {
        best = unit;
      }
    }
    if (best == null) {
      return invalid.getMessage();
    }
    String field = isParameter ? parameter.group(2) : field(best.getInstanceLocation());
    String subject = isParameter ? parameter.group(1) + " parameter '" + field + "'" : "'" + field + "'";
    String keyword = String.valueOf(best.getKeywordLocation());
    String error = String.valueOf(best.getError());
    Matcher required = REQUIRED.matcher(error);
    if (required.find()) {
      return "'" + (field.isEmpty() ? "" : field + "/") + required.group(1) + "' is required";
    }
    if (field.isEmpty()) {
      return "the request body: " + error;
    }
    if (keyword.endsWith("/additionalProperties")) {
      return "unknown field " + subject;
    }
    if (keyword.endsWith("/pattern") && NAME_FIELDS.contains(field)) {
      return subject + " " + Names.RULE;
    }
    return subject + ": " + error;
  }

  /** The additionalProperties check reports every property it sees; the real reason sits under /properties. */
  private static int keywordDepth(OutputUnit unit) {
    String keyword = String.valueOf(unit.getKeywordLocation());
    return keyword.endsWith("/additionalProperties") ? 0 : keyword.split("/").length;
  }

  private static void collect(OutputUnit unit, List<OutputUnit> leaves) {
    if (unit.getError() != null) {
      leaves.add(unit);
    }
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> collect(child, leaves));
    }
  }

  private static final Pattern PARAMETER = Pattern.compile("The value of (path|query|header|cookie) parameter (\\S+) is invalid");
  private static final Pattern UNDECODABLE = Pattern.compile("The value of (path|query|header|cookie) parameter (\\S+) can't be decoded");
  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Set<String> NAME_FIELDS = Set.of("name", "agent", "target", "meshwork");

  private static int depth(OutputUnit unit) {
    return field(unit.getInstanceLocation()).isEmpty() ? 0 : field(unit.getInstanceLocation()).split("/").length;
  }

  private static String field(String instanceLocation) {
    return instanceLocation == null ? "" : instanceLocation.replaceFirst("^#?/?", "");
  }
}
