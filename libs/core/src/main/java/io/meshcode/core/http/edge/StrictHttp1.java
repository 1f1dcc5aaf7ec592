package io.meshcode.core.http.edge;

import io.meshcode.core.http.ErrorBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads each HTTP/1.x request's bytes before the server's own decoder does, frames them by the
 * strictest reading of RFC 9112, and passes on only what every parser frames the same way. A
 * request that a lenient parser would take but another could frame differently — both
 * {@code Content-Length} and {@code Transfer-Encoding}, a folded header line, a bare LF, a bad
 * chunk size — is answered 400 (a version other than 1.0 and 1.1, 505) and the connection
 * closes: it is never processed and never dropped without an answer.
 *
 * <p>It also times the client: the head must arrive within the header timeout (from the
 * connection's opening or the request's first byte), the body within the body timeout, and a
 * kept-alive connection may wait for its next request for the idle timeout. No timer runs while
 * the server owes answers, so a long poll is never cut. After a {@code 101 Switching Protocols}
 * the bytes are a WebSocket's and pass untouched.
 *
 * <p>One instance per connection, on its event loop. {@link #responseEnds()} is its other half,
 * placed once Vert.x has built its HTTP pipeline between the encoder and Vert.x's connection, so
 * that it sees whole responses go out.
 */
final class StrictHttp1 extends ChannelInboundHandlerAdapter {

  static final String NAME = "meshcode-strict-http1";
  private static final String RESPONSE_ENDS = "meshcode-response-ends";
  /** Where Vert.x's HTTP/1.x pipeline has its connection, after the encoder. */
  private static final String VERTX_HANDLER = "handler";

  private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, AWAIT_UPGRADE, PASS_THROUGH, REFUSED }

  private static final int MAX_REQUEST_LINE_BYTES = 4096;
  private static final int MAX_HEADER_BYTES = 8192;
  /** The decoder's own limits (initial line 4096, headers 8192) and the blank line. */
  static final int MAX_HEAD_BYTES = MAX_REQUEST_LINE_BYTES + MAX_HEADER_BYTES + 4;
  private static final int MAX_CHUNK_LINE_BYTES = 1024;
  private static final int MAX_TRAILER_BYTES = 8192;
  private static final int MAX_HELD_BYTES = 64 * 1024;
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HTTP_VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
  private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]{1,15}(;[^\\x00-\\x08\\x0a-\\x1f\\x7f]*)?");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

  private final EdgeLimits limits;
  private final HttpEdge edge;
  private ChannelHandlerContext ctx;
  private State state = State.HEAD;
  private ByteBuf pending;
  private ByteBuf held;
  private long remaining;
  private long requests;
  private long answered;
  private boolean upgradeRequested;
  private boolean responseStarted;
  private byte[] refusal;
  private ScheduledFuture<?> timer;

  StrictHttp1(EdgeLimits limits, HttpEdge edge) {
    this.limits = limits;
    this.edge = edge;
  }

  /** The outbound half: counts whole responses as they go out and notices a protocol switch. */
  private ChannelOutboundHandlerAdapter responseEnds() {
    return new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext out, Object msg, ChannelPromise promise) throws Exception {
        boolean interim = msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (interim && ((HttpResponse) msg).status().code() == 101) {
          super.write(out, msg, promise);
          ctx.executor().execute(StrictHttp1.this::upgraded);
          return;
        }
        if (msg instanceof HttpResponse && !interim) {
          responseStarted = true;
        }
        boolean ends = msg instanceof LastHttpContent && !interim;
        if (ends) {
          responseStarted = false;
          answered++;
        }
        super.write(out, msg, promise);
        if (ends) {
          // not from inside this write: what it does may read or write again
          ctx.executor().execute(StrictHttp1.this::responseEnded);
        }
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    pending = ctx.alloc().buffer(256);
    if (ctx.channel().isActive()) {
      startTimer(limits.headerTimeout(), this::headerTimedOut);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    startTimer(limits.headerTimeout(), this::headerTimedOut);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
    pending.release();
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (state == State.PASS_THROUGH) {
      ctx.fireChannelRead(in);
      return;
    }
    try {
      read(in);
    } finally {
      in.release();
    }
  }

  private void read(ByteBuf in) {
    while (in.isReadable()) {
      switch (state) {
        case PASS_THROUGH -> {
          ctx.fireChannelRead(in.readRetainedSlice(in.readableBytes()));
          return;
        }
        case REFUSED -> {
          in.skipBytes(in.readableBytes());
          return;
        }
        case AWAIT_UPGRADE -> {
          if (held == null) {
            held = ctx.alloc().buffer();
          }
          if (held.readableBytes() + in.readableBytes() > MAX_HELD_BYTES) {
            refuse(400, "too much data before the protocol switch was answered");
            return;
          }
          held.writeBytes(in);
        }
        case BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, in.readableBytes());
          ctx.fireChannelRead(in.readRetainedSlice(n));
          remaining -= n;
          if (remaining == 0) {
            if (state == State.BODY) {
              requestDone();
            } else {
              state = State.CHUNK_END;
            }
          }
        }
        case HEAD -> readHead(in);
        case CHUNK_SIZE, CHUNK_END, TRAILERS -> readChunkLine(in);
      }
    }
  }

  private void readHead(ByteBuf in) {
    while (in.isReadable() && state == State.HEAD) {
      byte b = in.readByte();
      if (pending.readableBytes() == 0) {
        if (b == '\r' || b == '\n') {
          continue; // empty lines before a request line are ignored (RFC 9112, 2.2)
        }
        if (requests > 0) {
          // the first request's head is timed from the connection's opening
          startTimer(limits.headerTimeout(), this::headerTimedOut);
        }
      }
      if (pending.readableBytes() >= MAX_HEAD_BYTES) {
        refuse(431, "the request line and headers are too large");
        return;
      }
      if (!appendLineByte(b)) {
        return;
      }
      if (endsWith(pending, "\r\n\r\n")) {
        headComplete();
      }
    }
  }

  /** Appends {@code b} to the pending bytes; false (and refused) for a bare CR or LF. */
  private boolean appendLineByte(byte b) {
    int n = pending.writerIndex();
    if (b == '\n' && (n == 0 || pending.getByte(n - 1) != '\r')) {
      refuse(400, "a line ends in a bare LF; HTTP lines end in CRLF");
      return false;
    }
    if (b != '\n' && n > 0 && pending.getByte(n - 1) == '\r') {
      refuse(400, "a bare CR in the request");
      return false;
    }
    pending.writeByte(b);
    return true;
  }

  private void headComplete() {
    String head = pending.toString(StandardCharsets.ISO_8859_1);
    String[] lines = head.substring(0, head.length() - 4).split("\r\n", -1);
    // Past the decoder's own limits it answers 414 or 431 with no body: answer them here, in the error shape.
    if (lines[0].length() > MAX_REQUEST_LINE_BYTES) {
      refuse(414, "the request line is longer than " + MAX_REQUEST_LINE_BYTES + " bytes");
      return;
    }
    int headerBytes = 0;
    for (int i = 1; i < lines.length; i++) {
      headerBytes += lines[i].length(); // counted as the decoder counts them, without line ends
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      refuse(431, "the headers are larger than " + MAX_HEADER_BYTES + " bytes");
      return;
    }
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches() || requestLine[1].isEmpty()) {
      refuse(400, "the request line is not 'METHOD target HTTP/1.1'");
      return;
    }
    if (CONTROL.matcher(requestLine[1]).find()) {
      // the decoder splits the line at a tab too, and would read another target and version
      refuse(400, "the request target holds a control character; encode it");
      return;
    }
    String version = requestLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      if (HTTP_VERSION.matcher(version).matches()) {
        refuse(505, "HTTP version " + version.substring(5) + " is not supported; use HTTP/1.1");
      } else {
        refuse(400, "the request line is not 'METHOD target HTTP/1.1'");
      }
      return;
    }
    List<String> contentLengths = new ArrayList<>();
    List<String> transferEncodings = new ArrayList<>();
    boolean upgrade = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith(" ") || line.startsWith("\t")) {
        refuse(400, "a folded header line (starting with white space) is not accepted");
        return;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
        refuse(400, "a header line is not 'Name: value'");
        return;
      }
      String value = line.substring(colon + 1).strip();
      if (!isFieldValue(value)) {
        refuse(400, "a header value holds a control character");
        return;
      }
      switch (line.substring(0, colon).toLowerCase(Locale.ROOT)) {
        case "content-length" -> contentLengths.add(value);
        case "transfer-encoding" -> transferEncodings.add(value);
        case "upgrade" -> upgrade = true;
        default -> { }
      }
    }
    State next;
    if (!transferEncodings.isEmpty()) {
      if (!contentLengths.isEmpty()) {
        refuse(400, "a request may not have both Content-Length and Transfer-Encoding");
        return;
      }
      if (version.equals("HTTP/1.0") || transferEncodings.size() != 1 || !transferEncodings.get(0).equalsIgnoreCase("chunked")) {
        refuse(400, "the only Transfer-Encoding accepted is a single 'chunked' (HTTP/1.1)");
        return;
      }
      next = State.CHUNK_SIZE;
    } else if (!contentLengths.isEmpty()) {
      String first = contentLengths.get(0);
      if (!DIGITS.matcher(first).matches() || contentLengths.stream().anyMatch(length -> !length.equals(first))) {
        refuse(400, "Content-Length must be one decimal number");
        return;
      }
      remaining = Long.parseLong(first);
      next = remaining > 0 ? State.BODY : State.HEAD;
    } else {
      next = State.HEAD;
    }
    countResponses();
    forwardPending();
    requests++;
    edge.busy(ctx.channel());
    cancelTimer();
    if (next == State.HEAD) {
      upgradeRequested = upgrade;
      requestDone();
    } else {
      state = next;
      startTimer(limits.bodyTimeout(), this::bodyTimedOut);
    }
  }

  private static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** The line-shaped parts of a chunked body: each chunk's size line, its closing CRLF, the trailers. */
  private void readChunkLine(ByteBuf in) {
    State at = state;
    while (in.isReadable() && state == at) {
      byte b = in.readByte();
      int limit = state == State.TRAILERS ? MAX_TRAILER_BYTES : MAX_CHUNK_LINE_BYTES;
      if (pending.readableBytes() >= limit) {
        refuse(400, "a chunk size line or the trailers are too long");
        return;
      }
      if (!appendLineByte(b)) {
        return;
      }
      if (state == State.CHUNK_END && pending.readableBytes() == 2) {
        if (!endsWith(pending, "\r\n")) {
          refuse(400, "a chunk's data is longer than its size says");
          return;
        }
        forwardPending();
        state = State.CHUNK_SIZE;
      } else if (state == State.CHUNK_SIZE && endsWith(pending, "\r\n")) {
        chunkSizeLine();
      } else if (state == State.TRAILERS && endsWith(pending, "\r\n")) {
        trailerLine();
      }
    }
  }

  private void chunkSizeLine() {
    String line = pending.toString(pending.readerIndex(), pending.readableBytes() - 2, StandardCharsets.ISO_8859_1);
    if (!CHUNK_SIZE.matcher(line).matches()) {
      refuse(400, "a chunk size is not a hexadecimal number");
      return;
    }
    int semicolon = line.indexOf(';');
    long size = Long.parseLong(semicolon < 0 ? line : line.substring(0, semicolon), 16);
    forwardPending();
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  private void trailerLine() {
    int end = pending.writerIndex();
    if (pending.readableBytes() == 2 || endsWith(pending, "\r\n\r\n")) {
      forwardPending();
      requestDone();
      return;
    }
    int lineStart = end - 2;
    while (lineStart > pending.readerIndex() && !(pending.getByte(lineStart - 1) == '\n')) {
      lineStart--;
    }
    byte first = pending.getByte(lineStart);
    if (first == ' ' || first == '\t') {
      refuse(400, "a folded trailer line is not accepted");
    }
  }

  private void requestDone() {
    cancelTimer();
    if (upgradeRequested) {
      upgradeRequested = false;
      state = State.AWAIT_UPGRADE;
      return;
    }
    state = State.HEAD;
    if (requests == answered) {
      awaitNextRequest();
    }
  }

  /** A response went out whole ({@code answered} counts it). */
  private void responseEnded() {
    if (state == State.AWAIT_UPGRADE && answered == requests) {
      // The upgrade was answered as plain HTTP: what the client sent meanwhile is HTTP again.
      state = State.HEAD;
      replayHeld();
    }
    if (refusal != null && answered == requests) {
      writeRefusal();
      return;
    }
    if (state == State.HEAD && answered == requests && pending.readableBytes() == 0) {
      awaitNextRequest();
    }
  }

  /** Nothing is owed either way: the idle timer runs, and the edge may close this connection for room. */
  private void awaitNextRequest() {
    startTimer(limits.idleTimeout(), this::idleTimedOut);
    edge.waiting(ctx.channel());
  }

  /** The server switched protocols: from here on the bytes are a WebSocket's. */
  private void upgraded() {
    cancelTimer();
    state = State.PASS_THROUGH;
    if (held != null) {
      ByteBuf rest = held;
      held = null;
      ctx.fireChannelRead(rest);
    }
  }

  private void replayHeld() {
    if (held != null) {
      ByteBuf rest = held;
      held = null;
      try {
        read(rest);
      } finally {
        rest.release();
      }
    }
  }

  /** Puts the outbound half in place, once: Vert.x has built its pipeline by the time a request's head is complete. */
  private void countResponses() {
    if (ctx.pipeline().get(RESPONSE_ENDS) == null && ctx.pipeline().get(VERTX_HANDLER) != null) {
      ctx.pipeline().addBefore(VERTX_HANDLER, RESPONSE_ENDS, responseEnds());
    }
  }

  private void forwardPending() {
    ctx.fireChannelRead(pending.retainedSlice());
    pending.release();
    pending = ctx.alloc().buffer(256);
  }

  private static boolean endsWith(ByteBuf buf, String suffix) {
    int n = buf.writerIndex();
    if (n - buf.readerIndex() < suffix.length()) {
      return false;
    }
    for (int i = 0; i < suffix.length(); i++) {
      if (buf.getByte(n - suffix.length() + i) != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void headerTimedOut() {
    refuse(408, "the request's head did not arrive within " + limits.headerTimeout().toSeconds() + " s");
  }

  private void bodyTimedOut() {
    refuse(408, "the request's body did not arrive within " + limits.bodyTimeout().toSeconds() + " s");
  }

  private void idleTimedOut() {
    if (requests == answered && state == State.HEAD && pending.readableBytes() == 0) {
      ctx.close();
    }
  }

  /**
   * Answers {@code status} with the error shape and closes, once every response owed for earlier
   * requests on this connection has gone out; reads nothing more. A request refused in its body
   * was already passed on, half: its answer is this one, or, if the server has begun answering
   * it, none (the connection just closes).
   */
  private void refuse(int status, String message) {
    cancelTimer();
    boolean inBody = state == State.BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
        || state == State.CHUNK_END || state == State.TRAILERS;
    state = State.REFUSED;
    ctx.channel().config().setAutoRead(false);
    long owedBefore = requests - answered - (inBody ? 1 : 0);
    if (status == 408 && !inBody && pending.readableBytes() == 0) {
      ctx.close(); // a connection that never began a request: nothing to answer
      return;
    }
    byte[] body = ErrorBody.of(ErrorBody.codeFor(status), message).encode().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n";
    byte[] answer = new byte[head.length() + body.length];
    System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, answer, 0, head.length());
    System.arraycopy(body, 0, answer, head.length(), body.length);
    refusal = answer;
    if (owedBefore == 0 && !responseStarted) {
      writeRefusal();
    } else if (inBody) {
      ctx.close();
    }
  }

  private void writeRefusal() {
    byte[] answer = refusal;
    refusal = null;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
  }

  private static String reason(int status) {
    return switch (status) {
      case 408 -> "Request Timeout";
      case 414 -> "URI Too Long";
      case 431 -> "Request Header Fields Too Large";
      case 505 -> "HTTP Version Not Supported";
      default -> "Bad Request";
    };
  }

  private void startTimer(Duration after, Runnable action) {
    cancelTimer();
    if (after.isZero()) {
      return;
    }
    timer = ctx.executor().schedule(() -> {
      timer = null;
      action.run();
    }, after.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
