package io.meshcode.bus;

import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.VouchedPerson;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Sending, reading and acknowledging messages: reading and validating requests, shaping answers. */
final class MessageHandlers {

  static final Set<String> KINDS = Set.of("message", "request", "reply", "event");
  static final int TEXT_MAX_BYTES = 64 * 1024;
  static final int DATA_MAX_BYTES = 64 * 1024;
  static final int THREAD_MAX = 200;
  static final int RECIPIENTS_MAX = 100;
  static final int LIMIT_DEFAULT = 50;
  static final int LIMIT_MAX = 500;
  static final int PARK_MAX_SECONDS = 600;

  private final MessageRepository messages;

  MessageHandlers(MessageRepository messages) {
    this.messages = messages;
  }

  /**
   * An agent's send: the token names the sending agent. Made in a window's session (vouched by the
   * gateway), it is refused once that session no longer holds the agent: 409 {@code taken_over},
   * 410 {@code gone}, 404.
   */
  Future<Reply> send(RoutingContext ctx, AgentSlot sender) {
    return send(ctx, sender, null, session(ctx));
  }

  /**
   * The owner's send as a person (the dashboard's): stored from {@link OutgoingMessage#OWNER} with
   * the account name the gateway vouched for. Guests speak only as their agent, spectators not at
   * all: 403.
   */
  Future<Reply> sendAsOwner(RoutingContext ctx, UUID meshwork) {
    InternalPrincipal caller = InternalAuthHandler.principal(ctx);
    if (caller.kind() != KeyKind.OWNER) {
      throw ApiException.forbidden("only the meshwork's owner sends as a person; a guest sends as its agent");
    }
    String person = caller.vouched() == null ? null : caller.vouched().getString(VouchedPerson.CLAIM);
    if (person == null || person.isBlank()) {
      throw ApiException.forbidden("this send's person was not vouched for by the gateway");
    }
    return send(ctx, new AgentSlot(meshwork, OutgoingMessage.OWNER), person, null);
  }

  private Future<Reply> send(RoutingContext ctx, AgentSlot sender, String fromPerson, UUID session) {
    InternalPrincipal caller = InternalAuthHandler.principal(ctx);
    Recipient.Vouched send = Recipient.read(ctx, caller.vouched(), "id", "to", "kind", "text", "data", "thread_id", "reply_to");
    JsonInput body = send.message();
    UUID id = body.optionalString("id", 36).map(text -> Sql.uuid(text)
            .orElseThrow(() -> ApiException.badRequest("'id' must be a UUID")))
        .orElse(null);
    Object to = addressedTo(body.value("to"));
    String kind = body.optionalString("kind", 10).orElse("message");
    if (!KINDS.contains(kind)) {
      throw ApiException.badRequest("'kind' must be one of message, request, reply, event");
    }
    String text = text(body.value("text"));
    Object data = data(body.value("data"));
    String thread = body.optionalString("thread_id", THREAD_MAX).filter(t -> !t.isBlank()).orElse(null);
    UUID replyTo = body.optionalString("reply_to", 36).map(text2 -> Sql.uuid(text2)
            .orElseThrow(() -> ApiException.badRequest("'reply_to' must be the id of a message")))
        .orElse(null);
    if ("reply".equals(kind) && replyTo == null) {
      throw ApiException.badRequest("'reply_to' is required for a message of kind reply");
    }
    List<Recipient> recipients = send.recipients();
    String meshworkName = caller.vouched().getString("meshwork_name", ctx.pathParam("mw"));
    OutgoingMessage message = new OutgoingMessage(
        id != null ? id : Ids.newUuid(), id != null, to, kind, text, data, thread, replyTo, fromPerson);
    return messages.send(sender, meshworkName, message, recipients, session).map(sent -> {
      JsonObject answer = sentJson(sent);
      return sent.resent() ? Reply.ok(answer) : Reply.created(answer);
    });
  }

  Future<Reply> find(RoutingContext ctx, UUID meshwork) {
    UUID id = Sql.uuid(ctx.pathParam("id")).orElseThrow(MessageHandlers::noMessage);
    InternalPrincipal caller = InternalAuthHandler.principal(ctx);
    return messages.find(meshwork, id).map(found -> {
      // A guest follows the messages its own agent sent.
      if (found == null || (caller.kind() == KeyKind.GUEST && !found.sender().equals(caller.agent()))) {
        throw noMessage();
      }
      return Reply.ok(sentJson(found));
    });
  }

  Future<Reply> peek(RoutingContext ctx, AgentSlot inbox) {
    long after = InboxCursor.seqFor(inbox, ctx.queryParams().get("after"), "after");
    int limit = intParam(ctx, "limit", 1, LIMIT_MAX, LIMIT_DEFAULT);
    return messages.peek(inbox, after, limit).map(batch -> Reply.ok(batch.toJson()));
  }

  Future<Reply> count(RoutingContext ctx, AgentSlot inbox) {
    return messages.unread(inbox).map(unread -> Reply.ok(new JsonObject().put("unread", unread)));
  }

  /**
   * The wait's read (the gateway's): acknowledges up to {@code ack} if given, then marks what it
   * returns delivered, and the agent working, or waiting when it parks. Made in a window's session,
   * it is refused as a send is.
   */
  Future<Reply> take(RoutingContext ctx, AgentSlot inbox) {
    JsonInput body = JsonInput.of(ctx, "after", "ack", "limit", "park_seconds");
    long after = InboxCursor.seqFor(inbox, body.optionalString("after", 100).orElse(null), "after");
    Long ack = body.optionalString("ack", 100).map(cursor -> InboxCursor.seqFor(inbox, cursor, "ack")).orElse(null);
    int limit = body.optionalInt("limit", 1, LIMIT_MAX).orElse(LIMIT_DEFAULT);
    int park = body.optionalInt("park_seconds", 0, PARK_MAX_SECONDS).orElse(0);
    return messages.take(inbox, after, ack, limit, park, session(ctx)).map(batch -> Reply.ok(batch.toJson()));
  }

  /** Marks read what lies up to the cursor. Made in a window's session, it is refused as a send is. */
  Future<Reply> ack(RoutingContext ctx, AgentSlot inbox) {
    JsonInput body = JsonInput.of(ctx, "cursor");
    long seq = InboxCursor.seqFor(inbox, body.requiredString("cursor", 100), "cursor");
    return messages.ack(inbox, seq, session(ctx)).map(acked -> Reply.ok(new JsonObject()
        .put("acked", acked.newlyRead())
        .put("cursor", acked.cursor().toString())));
  }

  /** The window's session the gateway vouched for, or null for a request made in none. */
  private static UUID session(RoutingContext ctx) {
    return VouchedWindow.session(InternalAuthHandler.principal(ctx));
  }

  private static JsonObject sentJson(MessageRepository.Sent sent) {
    JsonArray recipients = new JsonArray();
    sent.deliveries().forEach(d -> recipients.add(d.toJson()));
    JsonObject answer = new JsonObject()
        .put("id", sent.id().toString())
        .put("from", sent.sender())
        .put("created_at", Sql.iso(sent.createdAt()))
        .put("thread_id", sent.threadId())
        .put("recipients", recipients);
    if (sent.fromPerson() != null) {
      answer.put("from_person", sent.fromPerson());
    }
    return answer;
  }

  /** {@code to} as the sender wrote it: a string or a non-empty list of strings (the gateway resolved what they name). */
  static Object addressedTo(Object to) {
    if (to == null) {
      throw ApiException.badRequest("'to' is required: an agent, a list of agents, '*' or 'meshwork/agent'");
    }
    if (to instanceof String name) {
      if (name.isBlank()) {
        throw ApiException.badRequest("'to' must not be empty");
      }
      return name;
    }
    if (to instanceof JsonArray list) {
      if (list.isEmpty()) {
        throw ApiException.badRequest("'to' must name at least one recipient");
      }
      if (list.size() > RECIPIENTS_MAX) {
        throw ApiException.badRequest("'to' may name at most " + RECIPIENTS_MAX + " recipients");
      }
      for (Object item : list) {
        if (!(item instanceof String name) || name.isBlank()) {
          throw ApiException.badRequest("'to' must hold only recipient names (strings)");
        }
      }
      return list;
    }
    throw ApiException.badRequest("'to' must be a string or a list of strings");
  }

  static String text(Object value) {
    if (value == null) {
      throw ApiException.badRequest("'text' is required");
    }
    if (!(value instanceof String text)) {
      throw ApiException.badRequest("'text' must be a string");
    }
    if (text.isBlank()) {
      throw ApiException.badRequest("'text' must not be empty");
    }
    if (text.indexOf('\0') >= 0) {
      throw ApiException.badRequest("'text' must not contain NUL characters");
    }
    if (utf8Length(text) > TEXT_MAX_BYTES) {
      throw ApiException.badRequest("'text' must be at most " + TEXT_MAX_BYTES + " bytes (UTF-8)");
    }
    return text;
  }

  private static Object data(Object data) {
    if (data == null) {
      return null;
    }
    String encoded = io.vertx.core.json.Json.encode(data);
    if (encoded.contains("\\u0000")) {
      throw ApiException.badRequest("'data' must not contain NUL characters");
    }
    if (utf8Length(encoded) > DATA_MAX_BYTES) {
      throw ApiException.badRequest("'data' must be at most " + DATA_MAX_BYTES + " bytes as JSON");
    }
    return data;
  }

  static int intParam(RoutingContext ctx, String name, int min, int max, int fallback) {
    String text = ctx.queryParams().get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("'" + name + "' must be a whole number between " + min + " and " + max);
  }

  private static int utf8Length(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static ApiException noMessage() {
    return ApiException.notFound("no such message in this meshwork");
  }
}
