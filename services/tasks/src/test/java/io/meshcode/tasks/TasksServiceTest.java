package io.meshcode.tasks;

import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.testkit.ServiceContractTest;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The tasks service")
class TasksServiceTest extends ServiceContractTest {

  @Override
  protected String serviceName() {
    return "tasks";
  }

  @Override
  protected ServiceFactory factory() {
    return (env, metrics) -> new TasksVerticle(TasksSettings.from(env, Main.DEFAULT_PORT), metrics);
  }
}
