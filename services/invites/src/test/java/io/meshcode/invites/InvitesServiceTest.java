package io.meshcode.invites;

import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.testkit.ServiceContractTest;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The invites service")
class InvitesServiceTest extends ServiceContractTest {

  @Override
  protected String serviceName() {
    return "invites";
  }

  @Override
  protected ServiceFactory factory() {
    return (env, metrics) -> new InvitesVerticle(InvitesSettings.from(env, Main.DEFAULT_PORT), metrics);
  }
}
