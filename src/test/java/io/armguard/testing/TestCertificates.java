package io.armguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A throwaway certificate authority made at test time, and what a TLS test server and its clients
 * need from it: a PKCS12 key store holding the server's key and its CA-signed certificate (subject
 * alternative names 127.0.0.1 and localhost, so clients' host-name verification passes on
 * loopback), and a PKCS12 trust store holding the CA certificate alone. Keys are EC P-256; the
 * certificates (X.509 v3, valid one day) are written here in DER and signed with the JDK's {@link
 * Signature}, since the JDK has no public certificate builder and a {@code keytool} run per step
 * costs seconds of JVM start-up each on a busy machine.
 *
 * @param serverKeyStore the server's key store (alias {@code server}, chain: server, CA)
 * @param trustStore the clients' trust store (alias {@code ca})
 * @param password the password of both stores and of the server's key
 */
public record TestCertificates(Path serverKeyStore, Path trustStore, String password) {

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";

  /** Makes a new CA and the two stores under {@code dir} (created if missing). */
  public static TestCertificates create(Path dir) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    String password = "test-store-" + Long.toHexString(new SecureRandom().nextLong());
    KeyPair ca = keyPair();
    KeyPair server = keyPair();
    X509Certificate caCert = sign("armguard-test-ca", ca.getPublic(), "armguard-test-ca", ca, true);
    X509Certificate serverCert =
        sign("localhost", server.getPublic(), "armguard-test-ca", ca, false);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        server.getPrivate(),
        password.toCharArray(),
        new Certificate[] {serverCert, caCert});
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", caCert);
    TestCertificates stores =
        new TestCertificates(dir.resolve("server.p12"), dir.resolve("truststore.p12"), password);
    store(keys, stores.serverKeyStore(), password);
    store(trust, stores.trustStore(), password);
    return stores;
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static void store(KeyStore ks, Path file, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password.toCharArray());
    }
  }

  /** An X.509 v3 certificate for {@code subject}'s key, signed by {@code issuerKeys}. */
  private static X509Certificate sign(
      String subject, PublicKey key, String issuer, KeyPair issuerKeys, boolean isCa)
      throws GeneralSecurityException, IOException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] extensions =
        isCa
            ? extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.tlv(0x01, new byte[] {-1})))
            : extension(
                SUBJECT_ALT_NAME,
                false,
                Der.sequence(
                    // [7] iPAddress and [2] dNSName, both IMPLICIT
                    Der.tlv(0x87, InetAddress.getByName("127.0.0.1").getAddress()),
                    Der.tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))));
    byte[] tbs =
        Der.sequence(
            Der.tlv(0xA0, Der.integer(BigInteger.TWO)), // version v3
            Der.integer(new BigInteger(64, new SecureRandom()).add(BigInteger.ONE)),
            Der.sequence(Der.oid(ECDSA_WITH_SHA256)),
            name(issuer),
            Der.sequence(Der.utcTime(now.minusMinutes(5)), Der.utcTime(now.plusDays(1))),
            name(subject),
            key.getEncoded(), // SubjectPublicKeyInfo, already DER
            Der.tlv(0xA3, Der.sequence(extensions)));
    byte[] cert =
        Der.sequence(
            tbs, Der.sequence(Der.oid(ECDSA_WITH_SHA256)), Der.bitString(sign(tbs, issuerKeys)));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(cert));
  }

  private static byte[] sign(byte[] data, KeyPair keys) throws GeneralSecurityException {
    PrivateKey key = keys.getPrivate();
    Signature s = Signature.getInstance(SIGNATURE);
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.tlv(
            0x31, // SET OF
            Der.sequence(
                Der.oid(COMMON_NAME), Der.tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.tlv(0x01, new byte[] {-1}), Der.tlv(0x04, value))
        : Der.sequence(Der.oid(oid), Der.tlv(0x04, value));
  }

  /** The few DER encodings a certificate needs (ITU-T X.690). */
  private static final class Der {

    private Der() {}

    static byte[] tlv(int tag, byte[] content) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
      out.write(tag);
      int n = content.length;
      if (n < 0x80) {
        out.write(n);
      } else {
        int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(n >>> (8 * i));
        }
      }
      out.writeBytes(content);
      return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return tlv(0x30, out.toByteArray());
    }

    static byte[] integer(BigInteger value) {
      return tlv(0x02, value.toByteArray());
    }

    static byte[] bitString(byte[] bits) {
      byte[] content = new byte[bits.length + 1]; // leading byte: no unused bits
      System.arraycopy(bits, 0, content, 1, bits.length);
      return tlv(0x03, content);
    }

    static byte[] utcTime(ZonedDateTime t) {
      return tlv(
          0x17,
          t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'"))
              .getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(String dotted) {
      String[] arcs = dotted.split("\\.");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
      for (int i = 2; i < arcs.length; i++) {
        long arc = Long.parseLong(arcs[i]);
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
          int b = (int) ((arc >>> (7 * g)) & 0x7F);
          out.write(g == 0 ? b : b | 0x80);
        }
      }
      return tlv(0x06, out.toByteArray());
    }
  }
}
