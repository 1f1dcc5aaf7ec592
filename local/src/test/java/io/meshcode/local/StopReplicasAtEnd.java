package io.meshcode.local;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the replicas {@link TestReplicas} started once the tests are done, before the JVM exits:
 * at exit every shutdown hook runs at once, and the test kit's would stop the broker and
 * PostgreSQL under replicas still draining. Registered in {@code META-INF/services}, so it acts
 * wherever this module's test jar is on the class path.
 */
public final class StopReplicasAtEnd implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TestReplicas.closeAll();
  }
}
