package io.meshcode.mcp;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS context that cannot do TLS, for an HTTP client that only ever speaks plain HTTP to a local
 * gateway. The JDK's HttpClient insists on a context at construction, and the default one (the
 * TLS provider and the CA certificates) costs 0.3-0.8 s of start-up on a small machine: more than
 * the rest of the server. Any TLS use fails loudly; redirects are not followed, so there is none.
 */
final class PlainHttp {

  static final SSLContext NO_TLS = new SSLContext(new NoTls(), new Provider("meshcode-no-tls", "1", "plain HTTP only") {
    private static final long serialVersionUID = 1L;
  }, "none") {};

  private PlainHttp() {}

  private static final class NoTls extends SSLContextSpi {

    private static UnsupportedOperationException plainOnly() {
      return new UnsupportedOperationException("this client speaks plain HTTP only");
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      // nothing to set up
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw plainOnly();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw plainOnly();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw plainOnly();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw plainOnly();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw plainOnly();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw plainOnly();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }
}
