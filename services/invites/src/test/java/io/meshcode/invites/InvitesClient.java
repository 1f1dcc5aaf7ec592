package io.meshcode.invites;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.ServiceUnderTest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drives a real invites service over HTTP the way the gateway does: every call carries an internal
 * token for the caller it stands for (owner, guest, spectator or the gateway itself).
 */
final class InvitesClient extends ServiceUnderTest {

  static final String PUBLIC_URL = "https://mesh.example.test";

  private InvitesClient() {
    super("invites", (env, metrics) -> new InvitesVerticle(InvitesSettings.from(env, Main.DEFAULT_PORT), metrics),
        Map.of("MESHCODE_PUBLIC_URL", PUBLIC_URL + "/"));
  }

  /** A service for one test class: {@code @RegisterExtension static final InvitesClient client = InvitesClient.perClass();}. */
  static InvitesClient perClass() {
    return new InvitesClient();
  }

  /** A lowercase name no other test uses. */
  static String fresh(String prefix) {
    return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
  }

  Caller owner() {
    return owner(Ids.newId());
  }

  Caller owner(String account) {
    return new Caller(new InternalPrincipal(account, KeyKind.OWNER, null, null));
  }

  Caller guest(String memberId, String meshworkId, String agent) {
    return new Caller(new InternalPrincipal(memberId, KeyKind.GUEST, meshworkId, agent));
  }

  /** The guest a join answer stands for, as the gateway would mint it after resolving the key. */
  Caller guest(JsonObject joined) {
    return guest(joined.getString("member_id"), joined.getString("meshwork_id"), joined.getString("agent"));
  }

  Caller spectator(String linkId, String meshworkId) {
    return new Caller(new InternalPrincipal(linkId, KeyKind.SPECTATOR, meshworkId, null));
  }

  /** Calls as {@code principal}: one with facts the gateway vouches for, say. */
  Caller as(InternalPrincipal principal) {
    return new Caller(principal);
  }

  Caller system() {
    return new Caller(InternalPrincipal.system());
  }

  /** Calls as one principal, with the internal token the gateway would send. */
  final class Caller extends ApiCaller {

    private Caller(InternalPrincipal principal) {
      super(port(), tokens(), principal);
    }

    // The steps most tests start from, each checked on the way.

    JsonObject createMeshwork(String name) {
      return post("/meshworks", new JsonObject().put("name", name)).expect(201);
    }

    JsonObject addAgent(String meshwork, String agent) {
      return post("/meshworks/" + meshwork + "/agents", new JsonObject().put("name", agent)).expect(201);
    }

    JsonObject invite(String meshwork, String agent) {
      return post("/meshworks/" + meshwork + "/invites", new JsonObject().put("agent", agent)).expect(201);
    }

    JsonObject spectatorLink(String meshwork) {
      return post("/meshworks/" + meshwork + "/spectator-links", new JsonObject()).expect(201);
    }
  }

  /** Redeems {@code token} as the gateway does for a caller who has no key yet. */
  ApiResponse join(String token, String displayName) {
    return system().post("/join", new JsonObject().put("token", token).put("display_name", displayName));
  }

  ApiResponse resolve(String key) {
    return system().post("/keys/resolve", new JsonObject().put("key", key));
  }

  /** A fresh meshwork with one agent slot, and a guest who joined it into that slot. */
  record Team(Caller owner, String meshwork, String meshworkId, String agent, JsonObject joined) {}

  Team team() {
    Caller owner = owner();
    String meshwork = fresh("team");
    String meshworkId = owner.createMeshwork(meshwork).getString("id");
    owner.addAgent(meshwork, "builder");
    String token = owner.invite(meshwork, "builder").getString("token");
    JsonObject joined = join(token, "Ada").expect(201);
    return new Team(owner, meshwork, meshworkId, "builder", joined);
  }
}
