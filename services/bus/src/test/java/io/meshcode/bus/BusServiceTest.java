package io.meshcode.bus;

import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.testkit.ServiceContractTest;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The bus service")
class BusServiceTest extends ServiceContractTest {

  @Override
  protected String serviceName() {
    return "bus";
  }

  @Override
  protected ServiceFactory factory() {
    return (env, metrics) -> new BusVerticle(BusSettings.from(env, Main.DEFAULT_PORT), metrics);
  }
}
