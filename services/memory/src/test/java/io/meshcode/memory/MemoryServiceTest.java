package io.meshcode.memory;

import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.testkit.ServiceContractTest;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The memory service")
class MemoryServiceTest extends ServiceContractTest {

  @Override
  protected String serviceName() {
    return "memory";
  }

  @Override
  protected ServiceFactory factory() {
    return (env, metrics) -> new MemoryVerticle(ServiceSettings.from(env, "memory", Main.DEFAULT_PORT), metrics);
  }
}
