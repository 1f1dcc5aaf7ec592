package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link DashboardData} makes what it says, through the public API. Small by default;
 * {@code -Dmeshcode.seed.agents=50 -Dmeshcode.seed.messages=10000} seeds and times the size the
 * dashboard's performance check opens.
 */
@DisplayName("Seeding a large meshwork for the dashboard")
class DashboardDataIT {

  @Test
  @DisplayName("every agent slot is made and every message reaches its one recipient's inbox")
  void seedsAgentsAndMessages() throws Exception {
    int agents = Integer.getInteger("meshcode.seed.agents", 5);
    int messages = Integer.getInteger("meshcode.seed.messages", 200);
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner("Seeder");

    DashboardData.Seeded seeded = DashboardData.seed(mesh, owner, agents, messages);
    System.out.printf("seeded %d agents and %d messages in %d ms (%d at a time)%n", agents, messages, seeded.millis(),
        DashboardData.CONCURRENCY);

    assertThat(mesh.expect(200, "GET", "/v1/meshworks/" + seeded.meshwork() + "/agents", owner, null).getJsonArray("agents"))
        .hasSize(agents);
    int unread = 0;
    for (String agent : seeded.agents()) {
      unread += mesh.expect(200, "GET", "/v1/meshworks/" + seeded.meshwork() + "/agents/" + agent + "/inbox/count", owner, null)
          .getInteger("unread");
    }
    assertThat(unread).isEqualTo(messages);
  }
}
