package io.meshcode.invites;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Names;
import io.meshcode.invites.AddressBook.Address;
import io.meshcode.invites.AddressBook.Recipient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a send's {@code to} into concrete recipients for the gateway, before it hands the message
 * to the bus, which knows meshworks only by id. Reads only.
 */
final class RecipientHandlers {

  static final int TO_MAX = 100;

  private static final String FORMS = "'agent', '*', 'meshwork/agent' or 'meshwork/*', where a name " + Names.RULE;

  private final AgentRepository agents;

  RecipientHandlers(AgentRepository agents) {
    this.agents = agents;
  }

  Future<Reply> resolve(RoutingContext ctx, Meshwork meshwork) {
    String sender = Names.pathName(ctx.pathParam("agent"), "agent");
    InternalPrincipal caller = InternalAuthHandler.principal(ctx);
    if (caller.kind() == KeyKind.GUEST && !sender.equals(caller.agent())) {
      // A guest speaks only for its own slot; another one is answered as if it did not exist.
      throw AgentRepository.notFound(meshwork, sender);
    }
    return resolve(ctx, meshwork, sender);
  }

  /**
   * The same for the owner sending as a person (no agent: {@code *} is every agent of the
   * meshwork). The route takes only the owner's key ({@link Access#OWNER}).
   */
  Future<Reply> resolveForOwner(RoutingContext ctx, Meshwork meshwork) {
    return resolve(ctx, meshwork, null);
  }

  /** {@code sender} null: the owner as a person. */
  private Future<Reply> resolve(RoutingContext ctx, Meshwork meshwork, String sender) {
    List<Address> addresses = addresses(ctx);
    Set<String> linkedNames = new LinkedHashSet<>();
    addresses.forEach(address -> address.meshwork().ifPresent(linkedNames::add));
    return agents.addressBook(meshwork, linkedNames).map(book -> {
      if (sender != null && !book.home().agents().contains(sender)) {
        throw AgentRepository.notFound(meshwork, sender);
      }
      List<Recipient> recipients = book.resolve(sender, addresses);
      return Reply.ok(new JsonObject()
          .put("meshwork_id", meshwork.id().toString())
          .put("meshwork", meshwork.name())
          .put("agent", sender)
          .put("recipients", new JsonArray(recipients.stream().map(Recipient::toJson).toList())));
    });
  }

  /** {@code to}: one address or an array of 1 to {@value TO_MAX}. */
  private static List<Address> addresses(RoutingContext ctx) {
    Object to = JsonInput.of(ctx, "to").value("to");
    if (to == null) {
      throw ApiException.badRequest("'to' is required");
    }
    if (to instanceof String one) {
      return List.of(address(one, "'to'"));
    }
    if (!(to instanceof JsonArray many)) {
      throw ApiException.badRequest("'to' must be a string or an array of strings");
    }
    if (many.isEmpty()) {
      throw ApiException.badRequest("'to' must name at least one recipient");
    }
    if (many.size() > TO_MAX) {
      throw ApiException.badRequest("'to' must name at most " + TO_MAX + " recipients");
    }
    List<Address> addresses = new ArrayList<>(many.size());
    for (int i = 0; i < many.size(); i++) {
      String what = "'to' item " + (i + 1);
      if (!(many.getValue(i) instanceof String text)) {
        throw ApiException.badRequest(what + " must be a string");
      }
      addresses.add(address(text, what));
    }
    return addresses;
  }

  private static Address address(String text, String what) {
    return Address.parse(text).orElseThrow(() -> ApiException.badRequest(what + " must be " + FORMS));
  }
}
