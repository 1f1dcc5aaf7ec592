package io.meshcode.testkit;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import java.util.List;
import java.util.Map;

/**
 * A service that knows meshworks only by id (bus, memory, tasks), called the way the gateway calls
 * it: every call carries an internal token for the caller it stands for, with the meshwork id (and
 * agent) the gateway has checked. A service's test client extends it with the steps its tests take.
 *
 * @param <C> the client's callers
 */
public abstract class ScopedServiceUnderTest<C extends ApiCaller> extends ServiceUnderTest {

  /** Makes a caller of the service on {@code port} as {@code principal}, with tokens from {@code tokens}. */
  @FunctionalInterface
  public interface Callers<C> {
    C make(int port, InternalTokens tokens, InternalPrincipal principal);
  }

  private final Callers<C> callers;

  protected ScopedServiceUnderTest(String name, ServiceFactory factory, Map<String, String> env, Callers<C> callers) {
    super(name, factory, env);
    this.callers = callers;
  }

  /** The owner on one agent's route (the gateway puts the path's agent in the token), or on a meshwork route (agent null). */
  public C owner(TestMeshwork mesh, String agent) {
    return as(new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), agent));
  }

  /** The owner on a meshwork route: the gateway puts the meshwork id in the token, and no agent. */
  public C owner(TestMeshwork mesh) {
    return owner(mesh, null);
  }

  /** A guest: its token names its own agent on every route. */
  public C guest(TestMeshwork mesh, String agent) {
    return as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), agent));
  }

  public C spectator(TestMeshwork mesh) {
    return as(new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, mesh.id(), null));
  }

  /** Calls as one principal, with the internal token the gateway would send. */
  public C as(InternalPrincipal principal) {
    return callers.make(port(), tokens(), principal);
  }

  /** Tokens scoped to no meshwork, naming {@code agent}: the gateway's own, an owner's without the claim, one with a malformed id. */
  public List<C> unscoped(String agent) {
    return List.of(
        as(InternalPrincipal.system()),
        as(new InternalPrincipal(Ids.newId(), KeyKind.OWNER, null, agent)),
        as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, "not-an-id", agent)));
  }
}
