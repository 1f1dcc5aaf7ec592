package io.meshcode.core.service;

/** The HTTP port a service was told to use is taken; the message names it. */
public final class PortInUseException extends RuntimeException {

  private final int port;

  public PortInUseException(String host, int port) {
    super("port " + port + " is already in use on " + host, null, false, false);
    this.port = port;
  }

  public int port() {
    return port;
  }

  static boolean isAddressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
