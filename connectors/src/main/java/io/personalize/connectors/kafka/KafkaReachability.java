package io.personalize.connectors.kafka;

import static io.personalize.util.Messages.oneLine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Whether a Kafka cluster answers, asked before a command's first real request: without it, a wrong
 * address or a stopped broker shows as a Kafka client's timeout deep in that request, after its own
 * (longer) wait.
 */
public final class KafkaReachability {
  private KafkaReachability() {}

  /**
   * Fails with a one-line {@link IllegalArgumentException} when no broker at {@code
   * bootstrapServers} answers within {@code timeout}, when the address is malformed, or when the
   * broker refuses the client's credentials.
   *
   * @param client Kafka client settings (security, say), as the command's other clients get them
   * @param hint the command's options that would fix it, e.g. {@code "--bootstrap-servers"}
   * @return the cluster's id, the same whichever of its brokers or addresses answered
   */
  public static String check(
      String bootstrapServers, Map<String, String> client, Duration timeout, String hint) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> config =
        AdminSettings.of(bootstrapServers, client, timeout, "personalize-reachability-check");
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (KafkaException e) {
      // e.g. a malformed or unresolvable bootstrap address
      throw new IllegalArgumentException(
          "cannot connect to Kafka at '" + bootstrapServers + "': " + oneLine(e), e);
    }
    try {
      return admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .clusterId()
          .get(millis + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        // Not "is it running?": it is, and it said why it refused (login or TLS handshake).
        throw new IllegalArgumentException(
            "Kafka at "
                + bootstrapServers
                + " refused the connection: "
                + oneLine(refused)
                + " (the personalize.kafka.* security settings)",
            e);
      }
      throw notAnswered(bootstrapServers, timeout, hint, e);
    } catch (TimeoutException e) {
      throw notAnswered(bootstrapServers, timeout, hint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  private static IllegalArgumentException notAnswered(
      String bootstrapServers, Duration timeout, String hint, Exception e) {
    return new IllegalArgumentException(
        "no Kafka broker answered at "
            + bootstrapServers
            + " within "
            + timeout.toSeconds()
            + " s (is it running? "
            + hint
            + ")",
        e);
  }
}
