package io.armguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test CA's stores carry a real TLS handshake on loopback with host-name verification, and a
 * client that does not trust the CA is refused.
 */
class TestCertificatesTest {

  @TempDir Path dir;

  @Test
  void aClientTrustingTheCaVerifiesTheServerAs127001() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    assertEquals(1, handshake(certs, trusting(certs)));
  }

  @Test
  void aClientWithTheJdksDefaultTrustIsRefused() throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    assertThrows(SSLHandshakeException.class, () -> handshake(certs, SSLContext.getDefault()));
  }

  /** One byte from server to client over TLS; the byte read. */
  private static int handshake(TestCertificates certs, SSLContext client) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(certs.serverKeyStore(), certs.password()), certs.password().toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (SSLServerSocket listening =
        (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (var s = listening.accept()) {
                  s.getOutputStream().write(1);
                  s.getOutputStream().flush();
                  s.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                  // the refused client's handshake fails here too
                }
              });
      try (SSLSocket socket =
          (SSLSocket)
              client.getSocketFactory().createSocket("127.0.0.1", listening.getLocalPort())) {
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // as Kafka's clients verify
        socket.setSSLParameters(params);
        socket.setSoTimeout(10_000);
        return socket.getInputStream().read();
      } finally {
        served.get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static SSLContext trusting(TestCertificates certs) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(certs.trustStore(), certs.password()));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }
}
