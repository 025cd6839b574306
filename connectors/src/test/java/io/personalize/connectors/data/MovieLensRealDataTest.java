package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.testing.SharedDataSets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the readers against the real data sets in {@code shared/data} beside the repository and
 * the counts verified in its README. Skipped when the data is not there.
 */
class MovieLensRealDataTest {

  private static Path dataset(String name) {
    return SharedDataSets.require(name);
  }

  @Test
  void ml100k() {
    Path dir = dataset("ml-100k");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.name()).isEqualTo("ml-100k");
    assertThat(data.layout()).isEqualTo("u.data");
    assertThat(data.interactions()).hasSize(100_000);
    assertThat(distinct(data, true)).hasSize(943);
    assertThat(distinct(data, false)).hasSize(1682);
    assertThat(histogram(data))
        .containsExactly(
            Map.entry(1.0, 6_110L),
            Map.entry(2.0, 11_370L),
            Map.entry(3.0, 27_145L),
            Map.entry(4.0, 34_174L),
            Map.entry(5.0, 21_201L));
    assertThat(minTime(data)).isEqualTo(874_724_710_000L);
    assertThat(maxTime(data)).isEqualTo(893_286_638_000L);
    assertThat(data.interactions().get(0))
        .isEqualTo(new Interaction("196", "242", 3, 881_250_949_000L));

    assertThat(data.items()).hasSize(1682);
    assertThat(data.items().keySet()).isEqualTo(distinct(data, false));
    assertThat(genres(data)).hasSize(19).containsAll(MovieLensReader.ML100K_GENRES);
    assertThat(data.items().get("1"))
        .isEqualTo(
            new ItemInfo(
                "1", "Toy Story (1995)", List.of("Animation", "Children's", "Comedy"), 1995));
    assertThat(data.items().get("543").title()).isEqualTo("Misérables, Les (1995)");
    assertThat(data.items().get("267").year()).isNull();
    assertThat(data.items().values().stream().filter(i -> i.year() == null)).hasSize(1);
  }

  @Test
  void ml1mPartial() {
    Path dir = dataset("ml-1m");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.name()).isEqualTo("ml-1m");
    assertThat(data.layout()).isEqualTo("ratings.dat");
    assertThat(data.interactions()).hasSize(487_650);
    Set<String> users = distinct(data, true);
    assertThat(users).hasSize(2999);
    assertThat(users.stream().mapToInt(Integer::parseInt).summaryStatistics())
        .satisfies(
            s -> {
              assertThat(s.getMin()).isEqualTo(1);
              assertThat(s.getMax()).isEqualTo(2999);
            });
    assertThat(distinct(data, false)).hasSize(3615);
    assertThat(histogram(data))
        .containsExactly(
            Map.entry(1.0, 27_472L),
            Map.entry(2.0, 53_838L),
            Map.entry(3.0, 127_216L),
            Map.entry(4.0, 170_579L),
            Map.entry(5.0, 108_545L));
    assertThat(data.interactions().get(0))
        .isEqualTo(new Interaction("1", "1193", 5, 978_300_760_000L));

    assertThat(data.items()).hasSize(3883);
    assertThat(data.items().keySet()).containsAll(distinct(data, false));
    assertThat(genres(data)).hasSize(18);
    assertThat(data.items().get("1"))
        .isEqualTo(
            new ItemInfo(
                "1", "Toy Story (1995)", List.of("Animation", "Children's", "Comedy"), 1995));
    assertThat(data.items().get("73").title()).isEqualTo("Misérables, Les (1995)");
    assertThat(data.items().values()).allSatisfy(i -> assertThat(i.year()).isNotNull());
  }

  @Test
  void mlLatestSmall() {
    Path dir = dataset("ml-latest-small");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.name()).isEqualTo("ml-latest-small");
    assertThat(data.layout()).isEqualTo("ratings.csv");
    assertThat(data.interactions()).hasSize(100_836);
    assertThat(distinct(data, true)).hasSize(610);
    assertThat(distinct(data, false)).hasSize(9724);
    assertThat(histogram(data))
        .containsExactly(
            Map.entry(0.5, 1_370L),
            Map.entry(1.0, 2_811L),
            Map.entry(1.5, 1_791L),
            Map.entry(2.0, 7_551L),
            Map.entry(2.5, 5_550L),
            Map.entry(3.0, 20_047L),
            Map.entry(3.5, 13_136L),
            Map.entry(4.0, 26_818L),
            Map.entry(4.5, 8_551L),
            Map.entry(5.0, 13_211L));
    assertThat(minTime(data)).isEqualTo(828_124_615_000L);
    assertThat(maxTime(data)).isEqualTo(1_537_799_250_000L);

    assertThat(data.items()).hasSize(9742);
    assertThat(data.items().keySet()).containsAll(distinct(data, false));
    assertThat(genres(data)).hasSize(19).contains("IMAX").doesNotContain("(no genres listed)");
    assertThat(data.items().values().stream().filter(i -> i.genres().isEmpty())).hasSize(34);
    assertThat(data.items().values().stream().filter(i -> i.year() == null)).hasSize(13);
    assertThat(data.items().get("11"))
        .isEqualTo(
            new ItemInfo(
                "11",
                "American President, The (1995)",
                List.of("Comedy", "Drama", "Romance"),
                1995));
    assertThat(data.items().get("7789").title()).isEqualTo("11'09\"01 - September 11 (2002)");
    assertThat(data.items().get("40697").year()).isNull();
    assertThat(data.items().get("27008").year()).isEqualTo(1999);
  }

  private static Set<String> distinct(Dataset data, boolean users) {
    Set<String> ids = new HashSet<>();
    for (Interaction i : data.interactions()) {
      ids.add(users ? i.userId() : i.itemId());
    }
    return ids;
  }

  private static Map<Double, Long> histogram(Dataset data) {
    return data.interactions().stream()
        .collect(Collectors.groupingBy(Interaction::value, TreeMap::new, Collectors.counting()));
  }

  private static Set<String> genres(Dataset data) {
    return data.items().values().stream()
        .flatMap(i -> i.genres().stream())
        .collect(Collectors.toSet());
  }

  private static long minTime(Dataset data) {
    return data.interactions().stream().mapToLong(Interaction::timeMillis).min().orElseThrow();
  }

  private static long maxTime(Dataset data) {
    return data.interactions().stream().mapToLong(Interaction::timeMillis).max().orElseThrow();
  }
}
