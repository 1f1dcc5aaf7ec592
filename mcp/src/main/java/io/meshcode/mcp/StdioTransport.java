package io.meshcode.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.json.TypeRef;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP over stdin/stdout: one JSON-RPC message per line. The SDK's own stdio transport neither
 * notices the end of its input (the process would outlive its editor) nor handles
 * {@code notifications/cancelled}, and a tool handler never learns its request's id. This one
 * completes {@link #inputEnded()} at end of input, gives each {@code tools/call} its request id in
 * {@code _meta} ({@value #REQUEST_ID_META}), turns a cancellation into that call's
 * {@link CancelSignal} and drops the cancelled call's response. Everything else is the SDK's.
 */
final class StdioTransport implements McpServerTransportProvider {

  static final String REQUEST_ID_META = "io.meshcode/request-id";
  private static final String CANCELLED = "notifications/cancelled";
  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_PARAMS = -32602;
  /** The error every request gets from a server that cannot serve its agent (JSON-RPC's range for server errors). */
  static final int CANNOT_SERVE = -32001;
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

  private final McpJsonMapper json;
  private final InputStream in;
  private final OutputStream out;
  private final Cancellations cancellations;
  private final CompletableFuture<Void> inputEnded = new CompletableFuture<>();
  private final Sinks.Many<JSONRPCMessage> inbound = Sinks.many().unicast().onBackpressureBuffer();
  private volatile McpServerSession session;
  private volatile boolean closing;
  private volatile String refusal;

  StdioTransport(McpJsonMapper json, InputStream in, OutputStream out, Cancellations cancellations) {
    this.json = json;
    this.in = in;
    this.out = out;
    this.cancellations = cancellations;
  }

  /**
   * From now on every request, {@code initialize} first, is answered with error {@link
   * #CANNOT_SERVE} and {@code reason}: the server cannot serve this agent at all (no such agent,
   * a refused key), and a failing {@code initialize} is what editors show in their MCP panel.
   */
  void refuseAll(String reason) {
    refusal = reason;
  }

  /** Completes when stdin ends (the editor closed it or went away). */
  CompletableFuture<Void> inputEnded() {
    return inputEnded;
  }

  /**
   * Starts reading stdin. What the editor sent first ({@code initialize}) is read and parsed while
   * the server starts, and waits in {@code inbound} for the session.
   */
  void start() {
    Thread reader = new Thread(this::readInput, "mcp-stdin");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory factory) {
    session = factory.create(new SessionTransport());
    inbound.asFlux()
        .flatMap(message -> handle(message).onErrorResume(e -> {
          LOG.warn("handling an MCP message failed: {}", e.toString());
          return Mono.empty();
        }))
        .subscribe();
  }

  /** A message read before the server knew it cannot serve its agent is refused here. */
  private Mono<Void> handle(JSONRPCMessage message) {
    String refused = refusal;
    if (refused == null) {
      return session.handle(message);
    }
    if (message instanceof JSONRPCRequest request) {
      writeError(request.id(), CANNOT_SERVE, refused);
    }
    return Mono.empty();
  }

  private void readInput() {
    try (InputStream input = new BufferedInputStream(in)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = input.read(); ; b = input.read()) {
        if (b >= 0 && b != '\n') {
          line.write(b);
          continue;
        }
        acceptBytes(line.toByteArray());
        line.reset();
        if (b < 0) {
          break;
        }
      }
    } catch (IOException e) {
      if (!closing) {
        LOG.warn("reading stdin failed: {}", e.toString());
      }
    } finally {
      inbound.tryEmitComplete();
      inputEnded.complete(null);
    }
  }

  /**
   * One line, decoded as strict UTF-8: a lenient decoder would turn bytes that are not UTF-8 into
   * U+FFFD, which a tool would then store as if the agent had written it.
   */
  private void acceptBytes(byte[] bytes) {
    String line;
    try {
      line = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      LOG.warn("answering an input line that is not UTF-8 with a parse error");
      writeParseError("the line is not valid UTF-8");
      return;
    }
    if (!line.isBlank()) {
      accept(line);
    }
  }

  private void accept(String line) {
    JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, line);
    } catch (IOException | RuntimeException e) {
      // JSON-RPC answers a line it cannot read with an error naming no id; silence would leave the client waiting
      LOG.warn("answering an input line that is not a JSON-RPC message with a parse error: {}", e.getMessage());
      writeParseError("the line is not a JSON-RPC message: " + firstLine(e.getMessage()));
      return;
    }
    String refused = refusal;
    if (refused != null) {
      if (message instanceof JSONRPCRequest request) {
        writeError(request.id(), CANNOT_SERVE, refused);
      }
      return;
    }
    if (message instanceof JSONRPCNotification notification && CANCELLED.equals(notification.method())) {
      if (notification.params() instanceof Map<?, ?> params) {
        LOG.debug("the client cancelled request {}", params.get("requestId"));
        cancellations.cancel(params.get("requestId"));
      }
      return;
    }
    if (message instanceof JSONRPCRequest request && McpSchema.METHOD_TOOLS_CALL.equals(request.method())
        && request.params() instanceof Map<?, ?> params) {
      Object arguments = params.get("arguments");
      if (arguments != null && !(arguments instanceof Map)) {
        // the SDK would answer an internal error naming its own classes
        writeError(request.id(), INVALID_PARAMS, "Invalid params: the arguments of tools/call must be an object");
        return;
      }
      message = withRequestId(request, params);
    }
    inbound.tryEmitNext(message);
  }

  private static JSONRPCRequest withRequestId(JSONRPCRequest request, Map<?, ?> params) {
    Map<String, Object> tagged = new LinkedHashMap<>();
    params.forEach((key, value) -> tagged.put(String.valueOf(key), value));
    Map<String, Object> meta = new LinkedHashMap<>();
    if (params.get("_meta") instanceof Map<?, ?> existing) {
      existing.forEach((key, value) -> meta.put(String.valueOf(key), value));
    }
    meta.put(REQUEST_ID_META, request.id());
    tagged.put("_meta", meta);
    return new JSONRPCRequest(request.jsonrpc(), request.method(), request.id(), tagged);
  }

  private void write(JSONRPCMessage message) {
    if (message instanceof JSONRPCResponse response && cancellations.dropResponse(response.id())) {
      LOG.debug("not answering cancelled request {}", response.id());
      return;
    }
    try {
      writeLine(json.writeValueAsString(message));
    } catch (IOException e) {
      if (closing) {
        LOG.debug("stdout closed while stopping: {}", e.toString());
      } else {
        throw new IllegalStateException("writing to stdout failed", e);
      }
    }
  }

  private void writeLine(String text) {
    byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (out) {
        out.write(line);
        out.flush();
      }
    } catch (IOException e) {
      if (closing) {
        LOG.debug("stdout closed while stopping: {}", e.toString());
      } else {
        throw new IllegalStateException("writing to stdout failed", e);
      }
    }
  }

  private void writeParseError(String message) {
    writeError(null, PARSE_ERROR, "Parse error: " + message);
  }

  private void writeError(Object id, int code, String message) {
    ObjectNode response = Json.object().put("jsonrpc", "2.0");
    if (id == null) {
      response.putNull("id");
    } else {
      response.set("id", Json.tree(id));
    }
    response.set("error", Json.object().put("code", code).put("message", message));
    writeLine(Json.write(response));
  }

  private static String firstLine(String message) {
    String first = message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    return first.length() > 200 ? first.substring(0, 200) + "…" : first;
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    McpServerSession current = session;
    return current == null ? Mono.empty() : current.sendNotification(method, params);
  }

  @Override
  public Mono<Void> closeGracefully() {
    closing = true;
    McpServerSession current = session;
    return current == null ? Mono.empty() : current.closeGracefully();
  }

  private final class SessionTransport implements McpServerTransport {

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
      return Mono.fromRunnable(() -> write(message));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
      return json.convertValue(data, type);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.fromRunnable(() -> {
        closing = true;
        inbound.tryEmitComplete();
      });
    }

    @Override
    public void close() {
      closing = true;
      inbound.tryEmitComplete();
    }
  }
}
