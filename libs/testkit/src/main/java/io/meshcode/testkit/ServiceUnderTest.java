package io.meshcode.testkit;

import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real service for a test class ({@code @RegisterExtension static final …}) or for one test
 * (started, then closed with try-with-resources), with the gateway's signing key to call it as
 * any principal. A service's own test client extends it with the calls its tests make.
 */
public abstract class ServiceUnderTest implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private final String name;
  private final ServiceFactory factory;
  private final Map<String, String> env;
  private RunningService service;
  private Vertx vertx;
  private InternalTokens tokens;

  protected ServiceUnderTest(String name, ServiceFactory factory, Map<String, String> env) {
    this.name = name;
    this.factory = factory;
    this.env = Map.copyOf(env);
  }

  /** Starts the service against the test kit's broker and database and waits until it is set up. */
  public void startService() {
    service = TestServices.start(name, factory, env);
    vertx = Vertx.vertx();
    tokens = InternalTokens.signer(vertx, TestInfra.get().internalKeys());
  }

  public int port() {
    return service.port();
  }

  /** Signs internal tokens as the gateway does, for calls made as any principal. */
  protected InternalTokens tokens() {
    return tokens;
  }

  /** Lets time pass in the service (a sweep, a lease, a relay) before the test looks again. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startService();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    TestServices.stop(service);
    if (vertx != null) {
      TestServices.await(vertx.close());
    }
  }
}
