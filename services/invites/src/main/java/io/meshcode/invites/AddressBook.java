package io.meshcode.invites;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Names;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The agents a sender can address: those of its own meshwork by {@code name} or {@code *}, and
 * those of a linked meshwork by {@code other/name} or {@code other/*}. Holds only the linked
 * meshworks the addresses name.
 */
record AddressBook(Roster home, Map<String, Roster> linked) {

  static final String UNKNOWN_RECIPIENT = "unknown_recipient";

  /** One meshwork and its agents, oldest first. */
  record Roster(UUID id, String name, Set<String> agents) {}

  /** One element of a send's {@code to}: an agent or {@code *}, in this meshwork or a linked one. */
  record Address(Optional<String> meshwork, String agent) {

    private static final String EVERYONE = "*";
    private static final Pattern FORM = Pattern.compile(
        "(?:(" + Names.NAME.pattern() + ")/)?(" + Names.NAME.pattern() + "|\\*)");

    /** The address {@code text} spells, if it has one of the four forms. */
    static Optional<Address> parse(String text) {
      var match = FORM.matcher(text);
      return match.matches() ? Optional.of(new Address(Optional.ofNullable(match.group(1)), match.group(2))) : Optional.empty();
    }

    boolean everyone() {
      return agent.equals(EVERYONE);
    }
  }

  /** A concrete recipient: one agent of one meshwork. */
  record Recipient(UUID meshworkId, String meshwork, String agent) {

    JsonObject toJson() {
      return new JsonObject().put("meshwork_id", meshworkId.toString()).put("meshwork", meshwork).put("agent", agent);
    }
  }

  /** Rows of {@code (id, name, agent)}, agent null for a meshwork without one, grouped by meshwork. */
  static Optional<AddressBook> from(UUID homeId, List<Row> rows) {
    Map<UUID, Roster> rosters = new LinkedHashMap<>();
    for (Row row : rows) {
      Roster roster = rosters.computeIfAbsent(row.getUUID("id"),
          id -> new Roster(id, row.getString("name"), new LinkedHashSet<>()));
      String agent = row.getString("agent");
      if (agent != null) {
        roster.agents().add(agent);
      }
    }
    Roster home = rosters.remove(homeId);
    if (home == null) {
      return Optional.empty();
    }
    Map<String, Roster> linked = new LinkedHashMap<>();
    rosters.values().forEach(roster -> linked.put(roster.name(), roster));
    return Optional.of(new AddressBook(home, linked));
  }

  /**
   * The agents {@code addresses} name, once each, in the order first named; {@code *} leaves out
   * the sender (none when the owner sends as a person: {@code sender} null). Every address that
   * names nothing is listed in one 404.
   */
  List<Recipient> resolve(String sender, List<Address> addresses) {
    Set<Recipient> recipients = new LinkedHashSet<>();
    Set<String> unknown = new LinkedHashSet<>();
    for (Address address : addresses) {
      Roster roster = address.meshwork().isPresent() ? linked.get(address.meshwork().get()) : home;
      if (roster == null) {
        unknown.add("no linked meshwork named '" + address.meshwork().get() + "'");
      } else if (address.everyone()) {
        roster.agents().stream()
            .filter(agent -> roster != home || sender == null || !agent.equals(sender))
            .forEach(agent -> recipients.add(new Recipient(roster.id(), roster.name(), agent)));
      } else if (roster.agents().contains(address.agent())) {
        recipients.add(new Recipient(roster.id(), roster.name(), address.agent()));
      } else {
        unknown.add("no agent named '" + address.agent() + "' in meshwork '" + roster.name() + "'");
      }
    }
    if (!unknown.isEmpty()) {
      throw new ApiException(404, UNKNOWN_RECIPIENT, String.join("; ", unknown));
    }
    return List.copyOf(recipients);
  }
}
