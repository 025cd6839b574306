package io.personalize.connectors.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The settings of an admin client that gives up after a timeout the command chose. */
final class AdminSettings {
  private AdminSettings() {}

  /**
   * The user's client settings (security, say), then the address and the timeout. Kafka refuses a
   * {@code default.api.timeout.ms} under {@code request.timeout.ms} (30 s by default), so a timeout
   * under 30 s lowers the request timeout with it: a backlog asked with 5 s failed to start.
   */
  static Map<String, Object> of(
      String bootstrapServers, Map<String, String> client, Duration timeout, String clientId) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> config = new HashMap<>(client);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 30_000));
    if (clientId != null) {
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    }
    return config;
  }
}
