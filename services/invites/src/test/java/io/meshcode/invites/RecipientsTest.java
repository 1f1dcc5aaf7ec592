package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.invites.InvitesClient.Team;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Resolving a send's recipients")
class RecipientsTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  /** A meshwork made for one test: its owner, name and id. */
  private record Mesh(Caller owner, String name, String id) {}

  @Test
  @DisplayName("an agent's name resolves to that agent, with the meshwork's id and name, and the sender may name itself")
  void byName() {
    Mesh alpha = meshwork(client.owner(), "alpha", "lead", "backend", "frontend");

    JsonObject answer = resolve(alpha.owner(), alpha, "lead", "backend").expect(200);
    assertThat(answer).isEqualTo(new JsonObject()
        .put("meshwork_id", alpha.id())
        .put("meshwork", alpha.name())
        .put("agent", "lead")
        .put("recipients", new JsonArray().add(new JsonObject()
            .put("meshwork_id", alpha.id()).put("meshwork", alpha.name()).put("agent", "backend"))));
    assertThat(recipients(resolve(alpha.owner(), alpha, "lead", to("frontend", "backend")).expect(200)))
        .containsExactly(alpha.name() + "/frontend", alpha.name() + "/backend");
    assertThat(recipients(resolve(alpha.owner(), alpha, "lead", "lead").expect(200))).containsExactly(alpha.name() + "/lead");
  }

  @Test
  @DisplayName("'*' is every agent of the meshwork but the sender, oldest first; with no other agent it is an empty list")
  void everyone() {
    Mesh alpha = meshwork(client.owner(), "alpha", "lead", "backend", "frontend");
    assertThat(recipients(resolve(alpha.owner(), alpha, "backend", "*").expect(200)))
        .containsExactly(alpha.name() + "/lead", alpha.name() + "/frontend");

    Mesh solo = meshwork(client.owner(), "solo", "lonely");
    assertThat(recipients(resolve(solo.owner(), solo, "lonely", "*").expect(200))).isEmpty();
  }

  @Test
  @DisplayName("duplicates collapse to the first time each agent is named, up to 100 addresses")
  void duplicates() {
    Mesh alpha = meshwork(client.owner(), "alpha", "lead", "backend", "frontend");
    assertThat(recipients(resolve(alpha.owner(), alpha, "lead", to("frontend", "*", "backend", "frontend", "lead")).expect(200)))
        .containsExactly(alpha.name() + "/frontend", alpha.name() + "/backend", alpha.name() + "/lead");
    JsonArray hundred = new JsonArray(Collections.nCopies(100, "backend"));
    assertThat(recipients(resolve(alpha.owner(), alpha, "lead", hundred).expect(200))).containsExactly(alpha.name() + "/backend");
  }

  @Test
  @DisplayName("a linked meshwork's agents are reached by 'other/name' and 'other/*', from either side of the link")
  void linked() {
    Caller owner = client.owner();
    Mesh alpha = meshwork(owner, "alpha", "lead", "backend");
    Mesh beta = meshwork(owner, "beta", "backend", "docs");
    Mesh empty = meshwork(owner, "empty");
    owner.post("/meshworks/" + beta.name() + "/links", new JsonObject().put("target", alpha.name())).expect(201);
    owner.post("/meshworks/" + alpha.name() + "/links", new JsonObject().put("target", empty.name())).expect(201);

    JsonObject answer = resolve(owner, alpha, "lead", to(beta.name() + "/docs", "backend", beta.name() + "/*", empty.name() + "/*"))
        .expect(200);
    assertThat(recipients(answer))
        .containsExactly(beta.name() + "/docs", alpha.name() + "/backend", beta.name() + "/backend");
    assertThat(answer.getJsonArray("recipients").getJsonObject(0).getString("meshwork_id")).isEqualTo(beta.id());
    assertThat(answer.getJsonArray("recipients").getJsonObject(1).getString("meshwork_id")).isEqualTo(alpha.id());
    assertThat(recipients(resolve(owner, beta, "docs", alpha.name() + "/*").expect(200)))
        .as("'other/*' leaves out no one: the sender is not in the other meshwork")
        .containsExactly(alpha.name() + "/lead", alpha.name() + "/backend");
  }

  @Test
  @DisplayName("a meshwork that is not linked (a sibling, another owner's, its own, none) is a 404 unknown_recipient naming it")
  void notLinked() {
    Caller owner = client.owner();
    Mesh alpha = meshwork(owner, "alpha", "lead");
    Mesh sibling = meshwork(owner, "sibling", "docs");
    Team stranger = client.team();

    resolve(owner, alpha, "lead", sibling.name() + "/docs")
        .expectError(404, "unknown_recipient", "no linked meshwork named '" + sibling.name() + "'");
    resolve(owner, alpha, "lead", stranger.meshwork() + "/*")
        .expectError(404, "unknown_recipient", "no linked meshwork named '" + stranger.meshwork() + "'");
    resolve(owner, alpha, "lead", alpha.name() + "/lead")
        .expectError(404, "unknown_recipient", "no linked meshwork named '" + alpha.name() + "'");
    resolve(owner, alpha, "lead", "nowhere/*").expectError(404, "unknown_recipient", "no linked meshwork named 'nowhere'");
  }

  @Test
  @DisplayName("unknown recipients are one 404 naming every one of them, each once")
  void unknownAgents() {
    Caller owner = client.owner();
    Mesh alpha = meshwork(owner, "alpha", "lead", "backend");
    Mesh beta = meshwork(owner, "beta", "docs");
    owner.post("/meshworks/" + alpha.name() + "/links", new JsonObject().put("target", beta.name())).expect(201);

    resolve(owner, alpha, "lead", to("bob", "backend", beta.name() + "/zed", "carol", "bob", "nowhere/x", beta.name() + "/docs"))
        .expectError(404, "unknown_recipient", "no agent named 'bob' in meshwork '" + alpha.name() + "'; "
            + "no agent named 'zed' in meshwork '" + beta.name() + "'; "
            + "no agent named 'carol' in meshwork '" + alpha.name() + "'; "
            + "no linked meshwork named 'nowhere'");
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("{}", "'to' is required"),
        Arguments.of("{\"to\":null}", "'to' is required"),
        Arguments.of("{\"to\":42}", "'to' must be a string or an array of strings"),
        Arguments.of("{\"to\":true}", "'to' must be a string or an array of strings"),
        Arguments.of("{\"to\":{\"agent\":\"backend\"}}", "'to' must be a string or an array of strings"),
        Arguments.of("{\"to\":[]}", "'to' must name at least one recipient"),
        Arguments.of(new JsonObject().put("to", new JsonArray(Collections.nCopies(101, "backend"))).encode(),
            "'to' must name at most 100 recipients"),
        Arguments.of("{\"to\":[42]}", "'to' item 1 must be a string"),
        Arguments.of("{\"to\":[\"backend\",null]}", "'to' item 2 must be a string"),
        Arguments.of("{\"to\":[\"backend\",[\"lead\"]]}", "'to' item 2 must be a string"),
        Arguments.of("{\"to\":[\"nobody\",7]}", "'to' item 2 must be a string"),
        Arguments.of("{\"to\":\"\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"Backend\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"-backend\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"" + "a".repeat(41) + "\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"backend \"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"back\\u0007end\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":\"**\"}", "'to' must be 'agent', '*'"),
        Arguments.of("{\"to\":[\"backend\",\"/lead\"]}", "'to' item 2 must be 'agent', '*'"),
        Arguments.of("{\"to\":[\"beta/\"]}", "'to' item 1 must be 'agent', '*'"),
        Arguments.of("{\"to\":[\"*/lead\"]}", "'to' item 1 must be 'agent', '*'"),
        Arguments.of("{\"to\":[\"a/b/c\"]}", "'to' item 1 must be 'agent', '*'"),
        Arguments.of("{\"to\":[\"beta/*x\"]}", "'to' item 1 must be 'agent', '*'"),
        Arguments.of("{\"to\":\"backend\",\"cc\":\"lead\"}", "unknown field 'cc'"),
        Arguments.of("[\"backend\"]", "JSON object"),
        Arguments.of("{\"to\":", "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  @DisplayName("a bad body is a 400 that names 'to' (or the stray field), before any recipient is looked up")
  void rejectsBadBodies(String body, String expected) {
    Mesh alpha = meshwork(client.owner(), "alpha", "lead", "backend");
    ApiResponse response = alpha.owner().post(path(alpha.name(), "lead"), body);
    assertThat(response.status()).as(response.body().encode()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("bad_request");
    assertThat(response.error()).contains(expected);
  }

  @Test
  @DisplayName("a guest resolves only as its own agent; any other agent is a 404 as if it did not exist")
  void guestOwnAgent() {
    Team team = client.team();
    team.owner().addAgent(team.meshwork(), "reviewer");
    String other = InvitesClient.fresh("other");
    team.owner().createMeshwork(other);
    team.owner().addAgent(other, "docs");
    team.owner().post("/meshworks/" + team.meshwork() + "/links", new JsonObject().put("target", other)).expect(201);
    Caller guest = client.guest(team.joined());
    Mesh mesh = new Mesh(team.owner(), team.meshwork(), team.meshworkId());

    assertThat(recipients(resolve(guest, mesh, team.agent(), to("*", other + "/*")).expect(200)))
        .containsExactly(team.meshwork() + "/reviewer", other + "/docs");
    resolve(guest, mesh, "reviewer", "*")
        .expectError(404, "not_found", "meshwork '" + team.meshwork() + "' has no agent named 'reviewer'");
    resolve(team.owner(), mesh, "ghost", "*")
        .expectError(404, "not_found", "meshwork '" + team.meshwork() + "' has no agent named 'ghost'");
    assertThat(recipients(resolve(team.owner(), mesh, "reviewer", "*").expect(200)))
        .as("the owner speaks for any slot").containsExactly(team.meshwork() + "/builder");
  }

  @Test
  @DisplayName("a guest of another meshwork, a revoked guest and an owner of another account get 404; a bad sender name too")
  void outOfReach() {
    Team team = client.team();
    Team elsewhere = client.team();
    Mesh mesh = new Mesh(team.owner(), team.meshwork(), team.meshworkId());

    resolve(client.guest(elsewhere.joined()), mesh, "builder", "*")
        .expectError(404, "not_found", "no meshwork named '" + team.meshwork() + "'");
    resolve(client.owner(), mesh, "builder", "*").expectError(404, "not_found", "no meshwork named '" + team.meshwork() + "'");
    assertThat(resolve(team.owner(), mesh, "Not-A-Name", "*").status()).isEqualTo(404);

    team.owner().delete("/meshworks/" + team.meshwork() + "/members/" + team.joined().getString("member_id")).expect(200);
    assertThat(resolve(client.guest(team.joined()), mesh, "builder", "*").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a spectator gets 403, since it only watches; the gateway's own token 403; no token at all 401")
  void wrongKinds() {
    Team team = client.team();
    Mesh mesh = new Mesh(team.owner(), team.meshwork(), team.meshworkId());
    JsonObject link = team.owner().spectatorLink(team.meshwork());

    resolve(client.spectator(link.getString("id"), team.meshworkId()), mesh, "builder", "*")
        .expectError(403, "forbidden", "a spectator link only watches: it cannot change anything");
    assertThat(resolve(client.system(), mesh, "builder", "*").status()).isEqualTo(403);
    assertThat(TestHttp.call(client.port(), "POST", "/v1" + path(team.meshwork(), "builder"), null, "{\"to\":\"*\"}").statusCode())
        .isEqualTo(401);
  }

  private static Mesh meshwork(Caller owner, String prefix, String... agents) {
    String name = InvitesClient.fresh(prefix);
    String id = owner.createMeshwork(name).getString("id");
    for (String agent : agents) {
      owner.addAgent(name, agent);
    }
    return new Mesh(owner, name, id);
  }

  private static String path(String meshwork, String agent) {
    return "/meshworks/" + meshwork + "/agents/" + agent + "/recipients";
  }

  private static ApiResponse resolve(Caller caller, Mesh mesh, String sender, Object to) {
    return caller.post(path(mesh.name(), sender), new JsonObject().put("to", to));
  }

  private static JsonArray to(String... addresses) {
    return new JsonArray(List.of(addresses));
  }

  /** The recipients of an answer as {@code meshwork/agent}, in order. */
  private static List<String> recipients(JsonObject answer) {
    return answer.getJsonArray("recipients").stream()
        .map(JsonObject.class::cast)
        .map(recipient -> recipient.getString("meshwork") + "/" + recipient.getString("agent"))
        .toList();
  }
}
