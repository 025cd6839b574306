package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.testing.SharedDataSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CiaoDVD's movie-ratings.txt: its layout, its genre feature and its repeated pairs. */
class CiaoDvdLayoutTest {
  private static final long DAY = 86_400_000L;

  private static Path write(Path dir, String content) throws IOException {
    Path file = dir.resolve("movie-ratings.txt");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void ratingsWithTheirDayAndTheMoviesGenreAsItsFeature(@TempDir Path dir) throws IOException {
    // No final newline, as in the published file.
    write(dir, "1,10,4,1,5,2000-05-31\n2,10,4,2,3,2000-06-01\n2,11,17,3,1,2013-11-28");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.layout()).isEqualTo("ciaodvd");
    assertThat(data.scale().min()).isEqualTo(1);
    assertThat(data.scale().max()).isEqualTo(5);
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("1", "10", 5, 11_108 * DAY),
            new Interaction("2", "10", 3, 11_109 * DAY),
            new Interaction("2", "11", 1, 16_037 * DAY));
    assertThat(data.items().get("10").genres()).containsExactly("Drama");
    assertThat(data.items().get("11").genres()).containsExactly("Anime");
    assertThat(data.items().get("11").year()).isNull();
    // The file alone reads the same.
    assertThat(DataSetReader.read(dir.resolve("movie-ratings.txt")).interactions())
        .isEqualTo(data.interactions());
  }

  /**
   * A repeated (user, movie) pair is kept once, as the readme advises: the user's last rating, the
   * latest date and on the same date the later line, at its own place in time.
   */
  @Test
  void aRepeatedUserMoviePairKeepsTheUsersLastRating(@TempDir Path dir) throws IOException {
    write(
        dir,
        String.join(
            "\n",
            "1,10,4,1,2,2001-01-02",
            "1,11,4,2,4,2001-01-01",
            "1,10,4,3,5,2001-01-01", // earlier date than the first: dropped
            "2,10,4,4,1,2001-01-05",
            "2,10,4,5,3,2001-01-05", // same date, later line: replaces the one above
            "3,12,2,6,4,2001-01-09"));

    Dataset data = DataSetReader.read(dir);

    assertThat(data.interactions())
        .extracting(i -> i.userId() + "/" + i.itemId() + "=" + (int) i.value())
        .containsExactly("1/10=2", "1/11=4", "2/10=3", "3/12=4");
  }

  @Test
  void malformedLinesNameTheFileLineAndProblem(@TempDir Path dir) throws IOException {
    for (String[] bad :
        new String[][] {
          {"1,10,4,1,5", "expected 6 comma-separated fields"},
          {"1,10,18,1,5,2000-01-01", "genreID 18 outside 1..17"},
          {"1,10,x,1,5,2000-01-01", "genreID is not a number"},
          {"1,10,4,1,6,2000-01-01", "movieRating 6 outside 1..5"},
          {"1,10,4,1,5,01/01/2000", "date is not like 2013-11-28"},
          {",10,4,1,5,2000-01-01", "empty user id"},
          {"1,10,4,1,5,2000-01-01\n1,10,5,2,5,2000-01-02", "movie 10 has genre"}
        }) {
      write(dir, bad[0]);
      assertThatThrownBy(() -> DataSetReader.read(dir))
          .as(bad[0])
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("movie-ratings.txt")
          .hasMessageContaining(bad[1]);
    }
  }

  /** The published file: the README's counts, less the 320 rows of repeated pairs. */
  @Test
  void thePublishedFile() {
    Path dir = SharedDataSets.require("ciaodvd");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.name()).isEqualTo("ciaodvd");
    List<Interaction> ratings = data.interactions();
    assertThat(ratings).hasSize(72_665 - 320);
    Set<String> users = new HashSet<>();
    Set<String> pairs = new HashSet<>();
    for (Interaction r : ratings) {
      users.add(r.userId());
      pairs.add(r.userId() + "/" + r.itemId());
    }
    assertThat(users).hasSize(17_615);
    assertThat(pairs).hasSize(ratings.size());
    assertThat(data.items()).hasSize(16_121);
    assertThat(data.items().values())
        .allSatisfy(item -> assertThat(CiaoDvdLayout.GENRES).containsAll(item.genres()));
  }
}
