package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Meshworks and agent slots")
class MeshworksTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  @Test
  @DisplayName("an owner creates a meshwork, then finds it in its list and by name")
  void createAndRead() {
    Caller owner = client.owner();
    String name = InvitesClient.fresh("web");
    JsonObject created = owner.post("/meshworks", new JsonObject().put("name", name).put("description", "the web app")).expect(201);
    assertThat(created.getString("id")).hasSize(36);
    assertThat(created.getString("name")).isEqualTo(name);
    assertThat(created.getString("description")).isEqualTo("the web app");
    assertThat(Instant.parse(created.getString("created_at"))).isBeforeOrEqualTo(Instant.now());
    assertThat(created.getJsonArray("agents")).isEmpty();

    owner.addAgent(name, "backend");
    JsonArray all = owner.get("/meshworks").expect(200).getJsonArray("meshworks");
    assertThat(all).hasSize(1);
    assertThat(all.getJsonObject(0).getString("id")).isEqualTo(created.getString("id"));
    assertThat(all.getJsonObject(0).getJsonArray("agents"))
        .containsExactly(new JsonObject().put("name", "backend").put("role", ""));
    JsonObject one = owner.get("/meshworks/" + name).expect(200);
    assertThat(one.getString("description")).isEqualTo("the web app");
    assertThat(one.getJsonArray("agents")).hasSize(1);
  }

  @Test
  @DisplayName("a second meshwork of the same name is a 409 for the same owner, but fine for another owner")
  void duplicateName() {
    Caller owner = client.owner();
    String name = InvitesClient.fresh("dup");
    owner.createMeshwork(name);
    ApiResponse again = owner.post("/meshworks", new JsonObject().put("name", name));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("you already have a meshwork named '" + name + "'");
    client.owner().createMeshwork(name);
  }

  static Stream<Arguments> badMeshworkBodies() {
    return Stream.of(
        Arguments.of("{\"name\":\"Bad Name\"}", "'name'"),
        Arguments.of("{\"name\":\"\"}", "'name'"),
        Arguments.of("{\"name\":\"-starts-with-dash\"}", "'name'"),
        Arguments.of("{\"name\":\"" + "a".repeat(41) + "\"}", "'name'"),
        Arguments.of("{\"name\":\"x'; DROP TABLE meshworks;--\"}", "'name'"),
        Arguments.of("{\"name\":42}", "'name' must be a string"),
        Arguments.of("{}", "'name' is required"),
        Arguments.of("{\"name\":\"ok\",\"owner\":\"someone-else\"}", "unknown field 'owner'"),
        Arguments.of("{\"name\":\"ok\",\"description\":\"" + "d".repeat(501) + "\"}", "'description' must be at most 500"),
        Arguments.of("{\"name\":\"ok\",\"description\":\"bell\\u0007\"}", "'description' must not contain control characters"),
        Arguments.of("{\"name\":\"ok\",\"description\":[\"x\"]}", "'description' must be a string"),
        Arguments.of("[\"name\"]", "JSON object"),
        Arguments.of("{\"name\":", "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMeshworkBodies")
  @DisplayName("a bad meshwork body is a 400 that names the problem, and nothing is stored")
  void rejectsBadBodies(String body, String expected) {
    Caller owner = client.owner();
    ApiResponse response = owner.post("/meshworks", body);
    assertThat(response.status()).as(response.body().encode()).isEqualTo(400);
    assertThat(response.error()).contains(expected);
    assertThat(owner.get("/meshworks").expect(200).getJsonArray("meshworks")).isEmpty();
  }

  @Test
  @DisplayName("SQL-looking text in a free-text field is stored and answered verbatim")
  void sqlLookingTextIsJustText() {
    Caller owner = client.owner();
    String name = InvitesClient.fresh("sql");
    String text = "'); DELETE FROM meshworks; -- \"quoted\" $1 \\";
    owner.post("/meshworks", new JsonObject().put("name", name).put("description", text)).expect(201);
    assertThat(owner.get("/meshworks/" + name).expect(200).getString("description")).isEqualTo(text);
  }

  @Test
  @DisplayName("an owner adds, lists, reads, changes and removes agent slots")
  void agentLifecycle() {
    Caller owner = client.owner();
    String mw = InvitesClient.fresh("agents");
    owner.createMeshwork(mw);
    JsonObject added = owner.post("/meshworks/" + mw + "/agents",
        new JsonObject().put("name", "reviewer").put("role", "reviews PRs").put("launch_prompt", "Review\nevery\tdiff")).expect(201);
    assertThat(added.getString("name")).isEqualTo("reviewer");
    assertThat(added.getString("role")).isEqualTo("reviews PRs");
    assertThat(added.getString("launch_prompt")).isEqualTo("Review\nevery\tdiff");
    assertThat(added.getString("created_at")).isNotBlank();
    JsonObject plain = owner.addAgent(mw, "writer");
    assertThat(plain.getString("role")).isEmpty();
    assertThat(plain.getString("launch_prompt")).isEmpty();

    JsonArray agents = owner.get("/meshworks/" + mw + "/agents").expect(200).getJsonArray("agents");
    assertThat(agents.stream().map(a -> ((JsonObject) a).getString("name"))).containsExactly("reviewer", "writer");
    assertThat(owner.get("/meshworks/" + mw + "/agents/reviewer").expect(200)).isEqualTo(added);

    JsonObject patched = owner.patch("/meshworks/" + mw + "/agents/writer", new JsonObject().put("role", "docs")).expect(200);
    assertThat(patched.getString("role")).isEqualTo("docs");
    assertThat(patched.getString("launch_prompt")).isEmpty();
    JsonObject prompt = owner.patch("/meshworks/" + mw + "/agents/writer", new JsonObject().put("launch_prompt", "write")).expect(200);
    assertThat(prompt.getString("role")).as("an absent field keeps its value").isEqualTo("docs");

    assertThat(owner.delete("/meshworks/" + mw + "/agents/writer").status()).isEqualTo(204);
    assertThat(owner.get("/meshworks/" + mw + "/agents/writer").status()).isEqualTo(404);
    assertThat(owner.delete("/meshworks/" + mw + "/agents/writer").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("agent slots: a duplicate is a 409, bad fields a 400 naming them, and nothing changes")
  void agentValidation() {
    Caller owner = client.owner();
    String mw = InvitesClient.fresh("agentval");
    owner.createMeshwork(mw);
    owner.addAgent(mw, "solo");
    ApiResponse duplicate = owner.post("/meshworks/" + mw + "/agents", new JsonObject().put("name", "solo"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.error()).contains("already has an agent named 'solo'");

    String path = "/meshworks/" + mw + "/agents";
    assertBadRequest(owner.post(path, new JsonObject().put("name", "UPPER")), "'name'");
    assertBadRequest(owner.post(path, new JsonObject().put("name", "ok").put("role", "r".repeat(201))), "'role'");
    assertBadRequest(owner.post(path, new JsonObject().put("name", "ok").put("launch_prompt", "p".repeat(10_001))), "'launch_prompt'");
    assertBadRequest(owner.post(path, new JsonObject().put("name", "ok").put("role", 7)), "'role' must be a string");
    assertBadRequest(owner.post(path, new JsonObject().put("name", "ok").put("model", "x")), "unknown field 'model'");
    assertBadRequest(owner.patch(path + "/solo", new JsonObject()), "'role' or 'launch_prompt'");
    assertBadRequest(owner.patch(path + "/solo", new JsonObject().put("role", "nul\u0000")), "'role' must not contain control characters");
    assertBadRequest(owner.patch(path + "/solo", new JsonObject().put("name", "renamed")), "unknown field 'name'");

    JsonArray agents = owner.get(path).expect(200).getJsonArray("agents");
    assertThat(agents).hasSize(1);
    assertThat(agents.getJsonObject(0).getString("role")).isEmpty();
  }

  @Test
  @DisplayName("unknown or malformed names in a path are a 404")
  void pathNames() {
    Caller owner = client.owner();
    String mw = InvitesClient.fresh("paths");
    owner.createMeshwork(mw);
    assertThat(owner.get("/meshworks/no-such-meshwork").status()).isEqualTo(404);
    assertThat(owner.get("/meshworks/BAD%20NAME").status()).isEqualTo(404);
    assertThat(owner.get("/meshworks/" + "a".repeat(41)).status()).isEqualTo(404);
    assertThat(owner.get("/meshworks/" + mw + "/agents/nobody").status()).isEqualTo(404);
    assertThat(owner.get("/meshworks/" + mw + "/agents/No%27body").status()).isEqualTo(404);
    assertThat(owner.patch("/meshworks/" + mw + "/agents/nobody", new JsonObject().put("role", "x")).status()).isEqualTo(404);
    assertThat(owner.get("/meshworks/" + mw + "/agents/nobody").body().getJsonObject("error").getString("code")).isEqualTo("not_found");
  }

  @Test
  @DisplayName("deleting a meshwork removes it and everything under it, and frees its name")
  void deleteMeshwork() {
    Caller owner = client.owner();
    String mw = InvitesClient.fresh("gone");
    String id = owner.createMeshwork(mw).getString("id");
    owner.addAgent(mw, "a1");
    owner.invite(mw, "a1");
    assertThat(owner.delete("/meshworks/" + mw).status()).isEqualTo(204);
    assertThat(owner.get("/meshworks/" + mw).status()).isEqualTo(404);
    assertThat(owner.delete("/meshworks/" + mw).status()).isEqualTo(404);
    assertThat(TestSql.count("SELECT count(*) FROM invites.agents WHERE meshwork_id = ?::uuid", id)).isZero();
    assertThat(TestSql.count("SELECT count(*) FROM invites.invites WHERE meshwork_id = ?::uuid", id)).isZero();
    owner.createMeshwork(mw);
  }

  private static void assertBadRequest(ApiResponse response, String expected) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(400);
    assertThat(response.error()).contains(expected);
  }
}
