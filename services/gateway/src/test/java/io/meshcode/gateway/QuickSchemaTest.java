package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The quick checks may only ever say yes where the full validator says yes: for every schema of
 * the API document they handle, each of a battery of values (valid, wrong in type, length,
 * pattern, enum, fields…) is put to both.
 */
@DisplayName("Quick request checks")
class QuickSchemaTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static Function<String, JsonObject> refs;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = TestServices.await(PublicApi.loadContract(vertx));
    JsonObject raw = contract.getRawContract();
    refs = ref -> QuickRequest.resolve(raw, ref);
  }

  @AfterAll
  static void close() {
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("the messaging hot path is checked quickly, and plainly valid requests pass")
  void hotPath() {
    for (String id : List.of("sendMessage", "waitForMessages", "ackMessages", "peekInbox", "countInbox", "heartbeat", "reportActivity")) {
      assertThat(QuickRequest.of(contract.operation(id), contract.getRawContract())).as(id).isNotNull();
    }
    QuickSchema send = QuickSchema.of(bodySchema(contract.operation("sendMessage")), refs);
    assertThat(send.accepts(new JsonObject().put("to", "b").put("text", "hi"))).isTrue();
    assertThat(send.accepts(new JsonObject().put("to", new JsonArray().add("b").add("c")).put("kind", "request")
        .put("text", "hi").put("data", new JsonObject().put("x", 1)).put("thread_id", "t-1"))).isTrue();
    assertThat(send.accepts(new JsonObject().put("to", "b").put("text", "hi").put("kind", "shout"))).isFalse();
    assertThat(send.accepts(new JsonObject().put("to", "b").put("text", "hi").put("extra", 1))).isFalse();
    QuickSchema activity = QuickSchema.of(bodySchema(contract.operation("reportActivity")), refs);
    JsonObject call = new JsonObject().put("tool", "meshcode_send").put("arguments", "{}").put("result", "ok").put("duration_ms", 3);
    assertThat(activity.accepts(new JsonObject().put("calls", new JsonArray().add(call).add(call.copy().put("result", "error"))))).isTrue();
    assertThat(activity.accepts(new JsonObject().put("calls", new JsonArray()))).isFalse();
    assertThat(activity.accepts(new JsonObject().put("calls", new JsonArray().add(new JsonObject().put("result", "ok"))))).isFalse();
    assertThat(activity.accepts(new JsonObject().put("calls", new JsonArray().add(call.copy().put("seq", 1))))).isFalse();
  }

  @Test
  @DisplayName("never yes where the full validator says no, for any schema of the document it handles")
  void neverMoreLenient() {
    int compared = 0;
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        compared += compare(operation.getOperationId() + " " + parameter.getName(), parameter.getSchema());
      }
      if (operation.getRequestBody() != null) {
        for (MediaType type : operation.getRequestBody().getContent().values()) {
          compared += compare(operation.getOperationId() + " body", type.getSchema());
        }
      }
    }
    assertThat(compared).as("values the quick checks accepted and the validator was asked about").isGreaterThan(500);
  }

  /** Puts every sample to both checks; answers how many the quick check accepted. */
  private static int compare(String what, JsonSchema schema) {
    JsonObject json = QuickRequest.json(schema);
    QuickSchema quick = QuickSchema.of(json, refs);
    if (quick == null) {
      return 0;
    }
    var validator = contract.getSchemaRepository().validator(schema);
    int accepted = 0;
    for (Object value : samples(json)) {
      if (quick.accepts(value)) {
        accepted++;
        assertThat(validator.validate(value).getValid()).as(what + ": " + value).isTrue();
      }
    }
    return accepted;
  }

  private static final List<Object> SCALARS = List.of(
      "", "a", "b", "ab-c", "a_b", "A", "a b", "9lives", "x".repeat(40), "x".repeat(41), "x".repeat(100), "x".repeat(101),
      "x".repeat(200), "x".repeat(201), "0190a8e4-0000-7000-8000-000000000000", "0190A8E4-0000-7000-8000-000000000000",
      "message", "request", "reply", "event", "ok", "error", "nope", "\uD83D\uDE00", "é", "12.abcdef", "*", "other/b",
      0, 1, -1, 500, 501, 86_400, Long.MAX_VALUE, 1.5, true, false, new JsonObject(), new JsonArray().add("b"));

  /**
   * Scalars; for an array schema, lists of its items' samples (empty, one to just past the most
   * allowed of a good item, a good item beside each sample); for an object schema: a filled-in
   * object, the same with each field swapped for each scalar (and each list, for a list field),
   * and with an unknown field.
   */
  private static List<Object> samples(JsonObject schema) {
    List<Object> samples = new ArrayList<>(SCALARS);
    if ("array".equals(schema.getString("type"))) {
      samples.addAll(lists(schema));
      return samples;
    }
    JsonObject properties = schema.getJsonObject("properties");
    if (properties == null) {
      return samples;
    }
    JsonObject filled = new JsonObject();
    for (String name : properties.fieldNames()) {
      QuickSchema property = QuickSchema.of(properties.getJsonObject(name), refs);
      SCALARS.stream().filter(property::accepts).findFirst().ifPresent(value -> filled.put(name, value));
    }
    samples.add(filled);
    samples.add(filled.copy().put("unknown_field", 1));
    for (String name : properties.fieldNames()) {
      samples.add(filled.copy().put(name, (Object) null));
      JsonObject without = filled.copy();
      without.remove(name);
      samples.add(without);
      for (Object value : SCALARS) {
        samples.add(filled.copy().put(name, value));
      }
      if ("array".equals(properties.getJsonObject(name).getString("type"))) {
        for (JsonArray list : lists(properties.getJsonObject(name))) {
          samples.add(filled.copy().put(name, list));
        }
      }
    }
    return samples;
  }

  private static List<JsonArray> lists(JsonObject schema) {
    JsonObject itemSchema = schema.getJsonObject("items", new JsonObject());
    QuickSchema item = QuickSchema.of(itemSchema, refs);
    List<Object> items = samples(itemSchema);
    Object good = item == null ? "a" : items.stream().filter(item::accepts).findFirst().orElse("a");
    int most = schema.getInteger("maxItems", 3);
    List<JsonArray> lists = new ArrayList<>();
    for (int size : new int[] {0, 1, 2, most, most + 1}) {
      JsonArray list = new JsonArray();
      for (int i = 0; i < size; i++) {
        list.add(good);
      }
      lists.add(list);
    }
    for (Object sample : items) {
      lists.add(new JsonArray().add(good).add(sample));
    }
    return lists;
  }

  private static JsonObject bodySchema(Operation operation) {
    return QuickRequest.json(operation.getRequestBody().getContent().get("application/json").getSchema());
  }
}
