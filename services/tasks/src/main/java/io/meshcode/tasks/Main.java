package io.meshcode.tasks;

import io.meshcode.core.service.ServiceLauncher;

/** Runs the tasks service as its own process; configuration comes from the environment (README.md, docs/CONFIG.md). */
public final class Main {

  public static final int DEFAULT_PORT = 8083;

  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runMain("tasks", (env, metrics) -> new TasksVerticle(TasksSettings.from(env, DEFAULT_PORT), metrics));
  }
}
