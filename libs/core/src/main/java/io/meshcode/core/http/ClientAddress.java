package io.meshcode.core.http;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The caller's address, as the per-address limits and the request log key on it: the TCP peer's,
 * unless the peer is one of the trusted proxies ({@code MESHCODE_TRUSTED_PROXIES}, docs/CONFIG.md).
 * Then {@code X-Forwarded-For} is walked from the right, past the addresses that are trusted
 * proxies themselves, and the first one that is not is the client (the leftmost, if all are). Only
 * the part walked is read: what lies left of the client is the client's to write, and no
 * concern of ours, however long it is (so a client cannot push its failures onto its proxy's
 * address). Anything odd in the part walked (not an IP literal, an empty entry, more than
 * {@value #MAX_ENTRIES} hops of trusted proxies) makes it the peer's address again: garbage is
 * never trusted, and never fails the request. The header's size is bounded by the edge's header
 * limit. {@code Forwarded} (RFC
 * 7239) is not read. Addresses come out in one spelling, IPv4-mapped IPv6 as IPv4, so one client
 * is one key however it is written.
 */
public final class ClientAddress {

  public static final String HEADER = "X-Forwarded-For";
  static final int MAX_ENTRIES = 64;
  private static final String KEY = "meshcode.clientAddress";
  private static final String UNKNOWN = "unknown";

  /** An address range: {@code network}'s first {@code prefix} bits. */
  private record Range(byte[] network, int prefix) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Range> trusted;

  private ClientAddress(List<Range> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /**
   * The trusted proxies from a comma-separated list of IP addresses and CIDR ranges, IPv4 or IPv6;
   * blank for none.
   *
   * @throws IllegalArgumentException naming the first entry that is not an address or a range
   *     (host bits set beyond the prefix count as not a range: the entry is likely a typo)
   */
  public static ClientAddress trusting(String proxies) {
    List<Range> ranges = new ArrayList<>();
    if (proxies == null || proxies.isBlank()) {
      return new ClientAddress(ranges);
    }
    for (String entry : proxies.split(",", -1)) {
      ranges.add(range(entry.strip()));
    }
    return new ClientAddress(ranges);
  }

  public static ClientAddress trustingNobody() {
    return new ClientAddress(List.of());
  }

  public boolean trustsNobody() {
    return trusted.isEmpty();
  }

  private static Range range(String entry) {
    int slash = entry.indexOf('/');
    String literal = slash < 0 ? entry : entry.substring(0, slash);
    byte[] raw = rawLiteral(literal);
    if (raw == null) {
      throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
    }
    byte[] address = unmapped(raw);
    int bits = raw.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = entry.substring(slash + 1);
      if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
        throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not 0-" + bits);
      }
      prefix = Integer.parseInt(digits);
    }
    if (address.length != raw.length) {
      // an IPv4-mapped IPv6 range is the IPv4 range
      if (prefix < 96) {
        throw new IllegalArgumentException("'" + entry + "' is an IPv4-mapped range shorter than /96");
      }
      prefix -= 96;
    }
    Range range = new Range(address, prefix);
    byte[] masked = address.clone();
    for (int bit = prefix; bit < address.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    if (!Arrays.equals(masked, address)) {
      throw new IllegalArgumentException("'" + entry + "' has bits set past its prefix length; write the network ("
          + text(masked) + "/" + (slash < 0 ? prefix : entry.substring(slash + 1)) + ")");
    }
    return range;
  }

  /** A handler that resolves each request's client address once, for {@link #of} to read. */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      ctx.put(KEY, resolve(peer(ctx), trustsNobody() ? List.of() : ctx.request().headers().getAll(HEADER)));
      ctx.next();
    };
  }

  /** The request's client address, as {@link #handler()} resolved it, else its TCP peer's. */
  public static String of(RoutingContext ctx) {
    String resolved = ctx.get(KEY);
    if (resolved != null) {
      return resolved;
    }
    String peer = peer(ctx);
    byte[] address = literal(peer);
    return address == null ? peer : text(address);
  }

  private static String peer(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    if (remote == null || remote.hostAddress() == null) {
      return UNKNOWN;
    }
    String host = remote.hostAddress();
    int zone = host.indexOf('%');
    return zone < 0 ? host : host.substring(0, zone);
  }

  /**
   * The client address of a request from {@code peer} that carried the {@code forwardedFor}
   * headers (in their order).
   */
  public String resolve(String peer, List<String> forwardedFor) {
    byte[] peerBytes = literal(peer);
    if (peerBytes == null) {
      return peer;
    }
    String peerAddress = text(peerBytes);
    if (!isTrusted(peerBytes) || forwardedFor.isEmpty()) {
      return peerAddress;
    }
    // From the right: the last header's last entry is what the nearest proxy appended. Only the
    // hops walked are read, so nothing the client writes left of itself can change the answer.
    int walked = 0;
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String header = forwardedFor.get(h);
      int end = header.length();
      while (end >= 0) {
        int comma = end == 0 ? -1 : header.lastIndexOf(',', end - 1);
        if (++walked > MAX_ENTRIES) {
          return peerAddress;
        }
        byte[] hop = literal(header.substring(comma + 1, end).strip());
        if (hop == null) {
          return peerAddress;
        }
        if ((comma < 0 && h == 0) || !isTrusted(hop)) {
          return text(hop);
        }
        end = comma;
      }
    }
    return peerAddress;
  }

  private boolean isTrusted(byte[] address) {
    for (Range range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The address {@code text} spells, IPv4-mapped as IPv4, or null if it is not an IP literal. */
  private static byte[] literal(String text) {
    byte[] raw = rawLiteral(text);
    return raw == null ? null : unmapped(raw);
  }

  private static byte[] rawLiteral(String text) {
    // Only the characters of an IP literal, so nothing (a host name) ever goes to DNS.
    if (text == null || text.isEmpty() || text.length() > 45 || !text.chars().allMatch(ClientAddress::isLiteralChar)) {
      return null;
    }
    return NetUtil.createByteArrayFromIpAddressString(text);
  }

  private static boolean isLiteralChar(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  }

  private static byte[] unmapped(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return address;
    }
    return new byte[] {address[12], address[13], address[14], address[15]};
  }

  private static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + address.length + " bytes", e);
    }
  }

  @Override
  public String toString() {
    return trusted.isEmpty() ? "trusting no proxy" : "trusting " + trusted.size() + " proxy range(s)";
  }
}
