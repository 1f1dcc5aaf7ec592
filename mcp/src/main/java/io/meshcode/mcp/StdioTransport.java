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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

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
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

  private final McpJsonMapper json;
  private final InputStream in;
  private final OutputStream out;
  private final Cancellations cancellations;
  private final CompletableFuture<Void> inputEnded = new CompletableFuture<>();
  private final Sinks.Many<JSONRPCMessage> inbound = Sinks.many().unicast().onBackpressureBuffer();
  private volatile McpServerSession session;
  private volatile boolean closing;

  StdioTransport(McpJsonMapper json, InputStream in, OutputStream out, Cancellations cancellations) {
    this.json = json;
    this.in = in;
    this.out = out;
    this.cancellations = cancellations;
  }

  /** Completes when stdin ends (the editor closed it or went away). */
  CompletableFuture<Void> inputEnded() {
    return inputEnded;
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory factory) {
    session = factory.create(new SessionTransport());
    inbound.asFlux()
        .flatMap(message -> session.handle(message).onErrorResume(e -> {
          LOG.warn("handling an MCP message failed: {}", e.toString());
          return Mono.empty();
        }))
        .subscribe();
    Thread reader = new Thread(this::readInput, "mcp-stdin");
    reader.setDaemon(true);
    reader.start();
  }

  private void readInput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          accept(line);
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

  private void accept(String line) {
    JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, line);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring an input line that is not a JSON-RPC message: {}", e.getMessage());
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
      byte[] line = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
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
