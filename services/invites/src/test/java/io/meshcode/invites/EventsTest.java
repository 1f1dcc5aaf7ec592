package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.kafka.Topics;
import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.invites.InvitesClient.Team;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.EventWatcher;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Membership events")
class EventsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  @RegisterExtension
  static final EventWatcher watcher = EventWatcher.perClass(Topics.EVENTS, Topics.AUTH);

  @Test
  @DisplayName("every membership change reaches mesh.events, and every revocation mesh.auth too, keyed by meshwork")
  void lifecycle() {
    Team team = client.team();
    Caller owner = team.owner();
    String base = "/meshworks/" + team.meshwork();
    String other = InvitesClient.fresh("peer");
    String otherId = owner.createMeshwork(other).getString("id");

    owner.patch(base + "/agents/builder", new JsonObject().put("role", "builds")).expect(200);
    owner.post(base + "/links", new JsonObject().put("target", other)).expect(201);
    owner.delete(base + "/links/" + other).expect(204);
    String linkId = owner.spectatorLink(team.meshwork()).getString("id");
    owner.delete(base + "/spectator-links/" + linkId).expect(204);
    String inviteId = owner.invite(team.meshwork(), "builder").getString("id");
    owner.delete(base + "/invites/" + inviteId).expect(200);
    owner.delete(base + "/members/" + team.joined().getString("member_id")).expect(200);
    owner.delete(base + "/agents/builder").expect(204);
    owner.delete(base).expect(204);

    List<String> expected = List.of("meshwork.created", "agent.added", "invite.created", "member.joined", "agent.updated",
        "meshwork.linked", "meshwork.unlinked", "spectator_link.created", "spectator_link.revoked", "invite.created",
        "invite.revoked", "member.revoked", "agent.removed", "meshwork.deleted");
    List<Received> events = watcher.await(Topics.EVENTS, team.meshworkId(), r -> r.size() >= expected.size(), WAIT);
    assertThat(events.stream().map(r -> r.event().type()).toList()).as("in order: one relay, one partition per meshwork").isEqualTo(expected);
    List<Received> auth = watcher.await(Topics.AUTH, team.meshworkId(), r -> r.size() >= 4, WAIT);
    assertThat(auth.stream().map(r -> r.event().type()))
        .containsExactly("spectator_link.revoked", "member.revoked", "agent.removed", "meshwork.deleted");
    assertThat(watcher.types(Topics.EVENTS, otherId)).containsSubsequence("meshwork.created", "meshwork.linked", "meshwork.unlinked");

    for (Received record : events) {
      assertThat(record.key()).isEqualTo(team.meshworkId());
      assertThat(record.value()).doesNotContain("mc_inv_").doesNotContain("mc_sk_").doesNotContain("mc_spec_");
    }
    Received joined = events.get(3);
    assertThat(joined.event().agent()).isEqualTo("builder");
    assertThat(joined.event().payload().getString("member_id")).isEqualTo(team.joined().getString("member_id"));
    assertThat(joined.event().payload().getString("display_name")).isEqualTo("Ada");
    Received revoked = auth.get(1);
    assertThat(revoked.event().payload().getString("member_id")).isEqualTo(team.joined().getString("member_id"));
    assertThat(revoked.event().id()).as("the same envelope on both topics")
        .isEqualTo(events.get(11).event().id());
  }

  @Test
  @DisplayName("removing a slot or a meshwork names the members it revokes in its mesh.auth event")
  void cascadeRevocations() {
    Team team = client.team();
    String member = team.joined().getString("member_id");
    team.owner().delete("/meshworks/" + team.meshwork() + "/agents/builder").expect(204);
    List<Received> slot = watcher.await(Topics.AUTH, team.meshworkId(), r -> r.size() >= 2, WAIT);
    assertThat(slot.get(0).event().type()).isEqualTo("member.revoked");
    assertThat(slot.get(1).event().payload().getJsonArray("member_ids")).containsExactly(member);

    Team other = client.team();
    other.owner().spectatorLink(other.meshwork());
    other.owner().delete("/meshworks/" + other.meshwork()).expect(204);
    Received deleted = watcher.await(Topics.AUTH, other.meshworkId(), r -> r.size() >= 1, WAIT).get(0);
    assertThat(deleted.event().type()).isEqualTo("meshwork.deleted");
    assertThat(deleted.event().payload().getJsonArray("member_ids")).containsExactly(other.joined().getString("member_id"));
    assertThat(deleted.event().payload().getJsonArray("spectator_link_ids")).hasSize(1);
  }
}
