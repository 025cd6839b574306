package io.personalize.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material for a test broker: a keystore with a self-signed certificate for 127.0.0.1
 * and localhost (its own certificate authority), and a truststore holding that certificate, each
 * PKCS12 with a random password of its own. The key is made by the JDK's {@code keytool}, the
 * truststore with {@link KeyStore}: nothing is downloaded and nothing is stored in the repository.
 */
public record KafkaTls(
    Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
  private static final Duration KEYTOOL_TIMEOUT = Duration.ofMinutes(1);

  /**
   * Writes {@code keystore.p12} and {@code truststore.p12} into {@code dir}, new ones each call.
   */
  public static KafkaTls generate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path keystore = dir.resolve("keystore.p12");
      Path truststore = dir.resolve("truststore.p12");
      for (Path old : List.of(keystore, truststore)) {
        Files.deleteIfExists(old);
      }
      String keystorePassword = randomPassword();
      String truststorePassword = randomPassword();
      // The password goes to keytool through its environment: a command line is visible to every
      // user of the machine.
      Map<String, String> passwords = Map.of("KEYSTORE_PASSWORD", keystorePassword);
      // EC keys: generated in milliseconds, where RSA takes noticeably longer on a busy machine.
      keytool(
          passwords,
          "-genkeypair",
          "-alias",
          "broker",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-validity",
          "2",
          "-dname",
          "CN=localhost",
          "-ext",
          "SAN=IP:127.0.0.1,DNS:localhost",
          "-storetype",
          "PKCS12",
          "-keystore",
          keystore.toString(),
          "-storepass:env",
          "KEYSTORE_PASSWORD");
      // The truststore from the keystore in this JVM: two more keytool runs would cost seconds.
      writeTruststore(keystore, keystorePassword, truststore, truststorePassword);
      return new KafkaTls(keystore, keystorePassword, truststore, truststorePassword);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PKCS12 truststore holding the certificate of the keystore's one key. */
  private static void writeTruststore(
      Path keystore, String keystorePassword, Path truststore, String truststorePassword)
      throws IOException {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        keys.load(in, keystorePassword.toCharArray());
      }
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("broker", keys.getCertificate("broker"));
      try (OutputStream out = Files.newOutputStream(truststore)) {
        trusted.store(out, truststorePassword.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the truststore: " + e.getMessage(), e);
    }
  }

  private static void keytool(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      // keytool says little; reading it all before waiting keeps a full pipe from blocking it.
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool " + args[0] + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool " + args[0] + " failed (exit " + process.exitValue() + "): " + output.trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return "tls-" + HexFormat.of().formatHex(bytes);
  }

  /** The files only: the passwords stay out of any text. */
  @Override
  public String toString() {
    return "KafkaTls[keystore=" + keystore + ", truststore=" + truststore + "]";
  }
}
