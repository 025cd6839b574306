package io.personalize.serving.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.avro.ScoredItem;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.EmbeddedKafka;
import io.personalize.connectors.kafka.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser: an in-process broker holds lists (one user's, another's and
 * the fallback), item titles and the job's cumulative metrics; the server reads them; headless
 * Chromium loads the page, and the test checks what its JavaScript drew: a chart line per mode and
 * recommender (per group), the status numbers, a user's list with titles and sources, the fallback
 * marked as such for an unknown user, the reason of a 400 for a malformed id, and that text from
 * the topics is shown as text, never parsed as HTML. Saves screenshots to {@code
 * target/status-page.png} (a user's list) and {@code target/status-page-fallback.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}: {@code .ci/install-browser}
 * installs them (the serving module's build runs it when the driver is missing).
 */
class StatusPageITCase {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOT = Path.of("target", "status-page.png");
  private static final Path FALLBACK_SCREENSHOT = Path.of("target", "status-page-fallback.png");
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A title with markup: the page must show it as text. */
  private static final String MARKUP_TITLE = "<b>Heat</b> & \"Dust\" <img src=x onerror=alert(1)>";

  @Test
  void pageShowsQualityStatusAndUsers(@TempDir Path temp) throws Exception {
    requireBrowser();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (Topics topics = new Topics(kafka.bootstrapServers())) {
        topics.create(1, Topics.COMPACTED, "recommendations");
        topics.createForReplay(1, "items", "metrics");
      }
      publish(kafka.bootstrapServers());

      Configuration conf = new Configuration();
      conf.set(ServeOptions.PORT, 0);
      conf.set(ServeOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      // No job runs: profile lookups find nothing listening and answer 503 at once.
      conf.set(ServeOptions.FLINK_REST, "http://127.0.0.1:" + freePort());
      conf.set(ServeOptions.QUERYABLE_STATE_PROXY, "127.0.0.1:" + freePort());
      conf.set(ServeOptions.LOOKUP_TIMEOUT, Duration.ofSeconds(1));
      try (RecommendationServer server = RecommendationServer.start(ServeSettings.from(conf))) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(server.caughtUp() && server.lists() == 2) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(server.lists()).as("lists read by the server").isEqualTo(2);

        WebDriver driver = chrome(temp.resolve("chromium-profile"));
        try {
          driver.get(server.address() + "/");
          checkPage(driver);
        } finally {
          driver.quit();
        }
      }
    }
  }

  private static void checkPage(WebDriver driver) throws IOException {
    WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
    // The page redraws the status and the chart every 2 s: an element found may be replaced.
    wait.ignoring(StaleElementReferenceException.class);

    // (b) status: the numbers of /api/status, refreshed until every topic was read.
    wait.until(d -> text(d, "#status-lists").equals("2"));
    wait.until(d -> text(d, "#status-model-version").equals("7"));
    assertThat(text(driver, "#status-graph-version")).isEqualTo("42");
    assertThat(text(driver, "#status-fallback")).contains("fallback");
    wait.until(d -> text(d, "#status-items").equals("5"));
    wait.until(d -> d.findElements(By.cssSelector("#status-topics tbody tr")).size() == 3);
    assertThat(texts(driver, "#status-topics tbody tr td:first-child"))
        .containsExactlyInAnyOrder("recommendations", "items", "metrics");
    wait.until(d -> text(d, "#status-connection").startsWith("live"));

    // (a) quality: a line per mode (rating panel) and per recommender (HR@k panel), all users.
    wait.until(d -> lines(d, "#quality-rating-plot").size() == 2);
    assertThat(lines(driver, "#quality-rating-plot")).containsOnlyKeys("adaptive", "global");
    wait.until(d -> lines(d, "#quality-topn-plot").size() == 1);
    assertThat(lines(driver, "#quality-topn-plot")).containsOnlyKeys("walks+rank+mmr");
    // Every snapshot is a point: M then 4 L for 5 snapshots.
    wait.until(d -> lines(d, "#quality-rating-plot").get("global").split("L").length == 5);
    assertThat(texts(driver, "#quality-rating-legend li .name"))
        .containsExactly("adaptive", "global");
    assertThat(texts(driver, "#quality-topn-legend li .name"))
        .containsExactly("walks+rank+mmr (k=10)");
    assertThat(texts(driver, "#quality-rating-plot svg"))
        .singleElement(STRING)
        .contains("RMSE")
        .contains("events scored");
    assertThat(texts(driver, "#quality-topn-plot svg")).singleElement(STRING).contains("HR@10");

    // The group selector: all users and groups 1..2; group 2 has its own lines.
    wait.until(d -> texts(d, "#quality-group option").size() == 3);
    assertThat(texts(driver, "#quality-group option"))
        .containsExactly("all users", "group 1", "group 2");
    Select group = new Select(driver.findElement(By.id("quality-group")));
    group.selectByValue("2");
    wait.until(
        d -> {
          List<String> groups = texts(d, "#quality-chart path.series", "data-group");
          return groups.size() == 3 && groups.stream().allMatch("2"::equals);
        });
    assertThat(lines(driver, "#quality-rating-plot")).containsOnlyKeys("adaptive", "global");
    assertThat(lines(driver, "#quality-topn-plot")).containsOnlyKeys("walks+rank+mmr");
    group.selectByValue("0");

    // (c) a malformed id: the 400's reason.
    search(driver, " u1");
    wait.until(d -> d.findElement(By.id("user-error")).isDisplayed());
    assertThat(text(driver, "#user-error")).contains("400").contains("malformed user id");
    assertThat(driver.findElement(By.id("user-lists")).isDisplayed()).isFalse();

    // An unknown user: the fallback, marked as such, with its reason.
    search(driver, "nobody");
    wait.until(d -> !d.findElements(By.id("user-fallback")).isEmpty());
    assertThat(text(driver, "#user-fallback"))
        .contains("Fallback list, not personal")
        .contains("no list for this user");
    assertThat(text(driver, "#user-meta-kind")).isEqualTo("fallback");
    assertThat(text(driver, "#user-meta-recommender")).isEqualTo("popularity");
    assertThat(rows(driver))
        .containsExactly(
            List.of("1", "i5", "Fargo", "Crime, Drama", "0.8000", "popularity"),
            List.of("2", "i1", "Toy Story", "Animation, Children", "0.5000", "popularity"));
    wait.until(d -> text(d, "#user-profile").contains("cannot be read"));
    screenshot(driver, FALLBACK_SCREENSHOT);

    // A known user: its own list, with titles, genres, scores and sources; markup stays text.
    search(driver, "u1");
    wait.until(d -> text(d, "#user-meta-user").equals("u1"));
    assertThat(driver.findElements(By.id("user-fallback"))).isEmpty();
    assertThat(text(driver, "#user-meta-kind")).isEqualTo("personal");
    assertThat(text(driver, "#user-meta-recommender")).isEqualTo("walks+rank+mmr");
    assertThat(rows(driver))
        .containsExactly(
            List.of("1", "i1", "Toy Story", "Animation, Children", "0.9100", "walks"),
            List.of("2", "i2", MARKUP_TITLE, "Drama", "0.8500", "walks"),
            List.of("3", "i3", "Heat", "Action, Crime", "0.6000", "new-users"),
            List.of("4", "i4", "(no metadata)", "", "0.3000", "popularity"));
    assertThat(driver.findElements(By.cssSelector("#user-lists b, #user-lists img"))).isEmpty();
    // The job does not run: the profile says why, readably.
    wait.until(d -> text(d, "#user-profile").contains("cannot be read"));
    assertThat(text(driver, "#user-profile")).contains("503");

    // k from the form, and an id that needs escaping in the URL.
    driver.findElement(By.id("user-k")).clear();
    driver.findElement(By.id("user-k")).sendKeys("2");
    search(driver, "u/2?x=1");
    wait.until(d -> text(d, "#user-meta-user").equals("u/2?x=1"));
    assertThat(rows(driver)).extracting(r -> r.get(1)).containsExactly("i3", "i6");
    driver.findElement(By.id("user-k")).clear();
    driver.findElement(By.id("user-k")).sendKeys("10");
    search(driver, "u1");
    wait.until(d -> rows(d).size() == 4 && text(d, "#user-profile").contains("cannot be read"));

    screenshot(driver, SCREENSHOT);
  }

  private static void screenshot(WebDriver driver, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
  }

  // ------------------------------------------------------------------ the data

  private static void publish(String bootstrapServers) {
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      AvroCodec<ItemMetadata> items = AvroCodec.of(ItemMetadata.class);
      for (String[] item :
          new String[][] {
            {"i1", "Toy Story", "Animation|Children"},
            {"i2", MARKUP_TITLE, "Drama"},
            {"i3", "Heat", "Action|Crime"},
            {"i5", "Fargo", "Crime|Drama"},
            {"i6", "Brazil", "Sci-Fi"},
          }) {
        ItemMetadata record =
            ItemMetadata.newBuilder()
                .setItemId(item[0])
                .setTitle(item[1])
                .setGenres(List.of(item[2].split("\\|")))
                .setUpdateTimeMillis(now)
                .build();
        send(producer, "items", item[0], items.encode(record));
      }

      AvroCodec<RecommendationList> lists = AvroCodec.of(RecommendationList.class);
      send(
          producer,
          "recommendations",
          "u1",
          lists.encode(
              list(
                  "u1",
                  false,
                  "walks+rank+mmr",
                  now,
                  item("i1", 0.91, "walks"),
                  item("i2", 0.85, "walks"),
                  item("i3", 0.6, "new-users"),
                  item("i4", 0.3, "popularity"))));
      send(
          producer,
          "recommendations",
          "u/2?x=1",
          lists.encode(
              list(
                  "u/2?x=1",
                  false,
                  "walks+rank+mmr",
                  now,
                  item("i3", 0.7, "walks"),
                  item("i6", 0.4, "walks"),
                  item("i5", 0.2, "popularity"))));
      send(
          producer,
          "recommendations",
          "",
          lists.encode(
              list(
                  "",
                  true,
                  "popularity",
                  now,
                  item("i5", 0.8, "popularity"),
                  item("i1", 0.5, "popularity"))));

      // Cumulative snapshots: two rating modes and a recommender, all users and groups 1..2.
      AvroCodec<MetricSnapshot> metrics = AvroCodec.of(MetricSnapshot.class);
      for (int n = 1; n <= 5; n++) {
        for (int group = 0; group <= 2; group++) {
          long events = (group == 0 ? 2000L : 1000L) * n;
          double g = group * 0.03;
          metrics(
              producer,
              metrics,
              snapshot("global", group, events, now, 0)
                  .setRmse(1.10 - 0.03 * n + g)
                  .setMae(0.90 - 0.02 * n + g)
                  .build());
          metrics(
              producer,
              metrics,
              snapshot("adaptive", group, events, now, 0)
                  .setRmse(1.05 - 0.05 * n + g)
                  .setMae(0.85 - 0.03 * n + g)
                  .build());
          metrics(
              producer,
              metrics,
              snapshot("walks+rank+mmr", group, events, now, 10)
                  .setHitRate(0.05 + 0.02 * n - g / 3)
                  .setMrr(0.02 + 0.01 * n)
                  .build());
        }
      }
      producer.flush();
    }
  }

  private static MetricSnapshot.Builder snapshot(
      String mode, int group, long events, long now, int k) {
    return MetricSnapshot.newBuilder()
        .setModel("test")
        .setMode(mode)
        .setGroup(group)
        .setCumulative(true)
        .setWindowStartMillis(now - 60_000)
        .setWindowEndMillis(now)
        .setEvents(events)
        .setUsers(events / 10)
        .setK(k);
  }

  private static void metrics(
      KafkaProducer<byte[], byte[]> producer,
      AvroCodec<MetricSnapshot> codec,
      MetricSnapshot snapshot) {
    send(producer, "metrics", snapshot.getMode(), codec.encode(snapshot));
  }

  private static RecommendationList list(
      String user, boolean fallback, String recommender, long now, ScoredItem... items) {
    return RecommendationList.newBuilder()
        .setUserId(user)
        .setGeneratedAtMillis(now)
        .setModelVersion(7)
        .setGraphVersion(42)
        .setItems(List.of(items))
        .setRecommender(recommender)
        .setFallback(fallback)
        .build();
  }

  private static ScoredItem item(String id, double score, String source) {
    return ScoredItem.newBuilder().setItemId(id).setScore(score).setSource(source).build();
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot write to " + topic, e);
    }
  }

  // ------------------------------------------------------------------ the browser

  private static void requireBrowser() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    assertThat(missing)
        .as(
            "this test drives headless Chromium, and %s missing: run .ci/install-browser"
                + " (apt-get install chromium chromium-driver; `mvn verify` runs it when the"
                + " driver is missing)",
            String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are"))
        .isEmpty();
  }

  private static WebDriver chrome(Path profile) throws IOException {
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1400",
        "--user-data-dir=" + profile.toAbsolutePath());
    // The driver's path is given: Selenium Manager is never asked (it would try to download).
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void search(WebDriver driver, String user) {
    WebElement input = driver.findElement(By.id("user-id"));
    input.clear();
    input.sendKeys(user);
    driver.findElement(By.id("user-submit")).click();
  }

  private static String text(WebDriver driver, String css) {
    return driver.findElement(By.cssSelector(css)).getText().trim();
  }

  /** The text of every element the selector finds, read at once (between two redraws). */
  private static List<String> texts(WebDriver driver, String css) {
    return texts(driver, css, null);
  }

  /** An attribute (or with null, the text) of every element found, read at once. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(WebDriver driver, String css, String attribute) {
    return (List<String>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e =>"
                    + " arguments[1] === 'data-line'"
                    + " ? e.getAttribute('data-series') + '\\t' + e.getAttribute('d')"
                    + " : arguments[1] ? e.getAttribute(arguments[1]) : e.textContent.trim());",
                css,
                attribute);
  }

  /** The chart's lines in a panel: series name to its path, read at once. */
  private static Map<String, String> lines(WebDriver driver, String plot) {
    Map<String, String> lines = new TreeMap<>();
    for (String line : texts(driver, plot + " path.series", "data-line")) {
      String[] parts = line.split("\t", 2);
      lines.merge(parts[0], parts[1], (x, y) -> x + " | " + y);
    }
    return lines;
  }

  /** The user's list as shown: every row's cells. */
  private static List<List<String>> rows(WebDriver driver) {
    Function<WebElement, List<String>> cells =
        row ->
            row.findElements(By.tagName("td")).stream()
                .map(c -> c.getText().trim())
                .collect(Collectors.toList());
    return driver.findElements(By.cssSelector("#user-lists tbody tr")).stream()
        .map(cells)
        .collect(Collectors.toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
