package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.RatingScale;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MovieLensReaderTest {
  private static final String CSV_HEADER = "userId,movieId,rating,timestamp\n";
  private static final String GENRES_3 = "unknown|0\nAction|1\nComedy|2\n\n";

  @TempDir Path tmp;

  // ------------------------------------------------------------------ u.data

  @Test
  void readsUDataWithUItemAndUGenre() throws IOException {
    Path dir = dir("ml-tiny");
    write(dir, "u.data", "196\t242\t3\t881250949\n186\t302\t5\t891717742\n196\t302\t1\t1\n");
    write(dir, "u.genre", GENRES_3);
    write(
        dir,
        "u.item",
        "242|Kolya (1996)|24-Jan-1997||http://x|0|0|1\n"
            + "302|Misérables, Les (1995)|01-Jan-1995||http://y|0|1|1\n"
            + "267|unknown||||1|0|0\n",
        StandardCharsets.ISO_8859_1);

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.name()).isEqualTo("ml-tiny");
    assertThat(data.layout()).isEqualTo("u.data");
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("196", "242", 3.0, 881_250_949_000L),
            new Interaction("186", "302", 5.0, 891_717_742_000L),
            new Interaction("196", "302", 1.0, 1_000L));
    assertThat(data.items().keySet()).containsExactly("242", "302", "267");
    assertThat(data.items().get("242"))
        .isEqualTo(new ItemInfo("242", "Kolya (1996)", List.of("Comedy"), 1997));
    assertThat(data.items().get("302"))
        .isEqualTo(
            new ItemInfo("302", "Misérables, Les (1995)", List.of("Action", "Comedy"), 1995));
    assertThat(data.items().get("267"))
        .isEqualTo(new ItemInfo("267", "unknown", List.of("unknown"), null));
  }

  @Test
  void uItemWithoutUGenreUsesTheNineteenMovieLensGenres() throws IOException {
    Path dir = dir("ml");
    write(dir, "u.data", "1\t1\t4\t874724710\n");
    write(
        dir,
        "u.item",
        "1|Toy Story (1995)|01-Jan-1995||http://u|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(MovieLensReader.ML100K_GENRES).hasSize(19);
    assertThat(data.items().get("1").genres()).containsExactly("Animation", "Children's", "Comedy");
  }

  @Test
  void uDataWithoutItemFileHasNoItems() throws IOException {
    Path dir = dir("bare");
    write(dir, "u.data", "1\t2\t4\t10\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.interactions()).hasSize(1);
    assertThat(data.items()).isEmpty();
  }

  @Test
  void acceptsTrailingBlankLinesCrLfAndAMissingFinalNewline() throws IOException {
    Path dir = dir("a");
    write(dir, "u.data", "1\t2\t4\t10\r\n3\t4\t5\t20\n\n \n\t\n");
    assertThat(MovieLensReader.read(dir).interactions()).hasSize(2);

    Path other = dir("b");
    write(other, "u.data", "1\t2\t4\t10\n3\t4\t5\t20");
    assertThat(MovieLensReader.read(other).interactions())
        .extracting(Interaction::timeMillis)
        .containsExactly(10_000L, 20_000L);
  }

  @Test
  void readsARatingsFileGivenDirectlyAndNamesTheDatasetAfterItsDirectory() throws IOException {
    Path dir = dir("ml-100k");
    write(dir, "u1.base", "1\t2\t4\t10\n");
    write(dir, "u.data", "1\t2\t4\t10\n9\t9\t1\t1\n");

    Dataset split = MovieLensReader.read(dir.resolve("u1.base"));
    Dataset whole = MovieLensReader.read(dir.resolve("u.data"));

    assertThat(split.name()).isEqualTo("ml-100k");
    assertThat(split.layout()).isEqualTo("u.data");
    assertThat(split.interactions()).hasSize(1);
    assertThat(whole.interactions()).hasSize(2);
  }

  @Test
  void looksForUDataThenRatingsDatThenRatingsCsv() throws IOException {
    Path dir = dir("mixed");
    write(dir, "ratings.csv", CSV_HEADER + "1,2,3.5,10\n");
    assertThat(MovieLensReader.read(dir).layout()).isEqualTo("ratings.csv");
    write(dir, "ratings.dat", "1::2::3::10\n");
    assertThat(MovieLensReader.read(dir).layout()).isEqualTo("ratings.dat");
    write(dir, "u.data", "1\t2\t3\t10\n");
    assertThat(MovieLensReader.read(dir).layout()).isEqualTo("u.data");
  }

  // ------------------------------------------------------------------ ratings.dat

  @Test
  void readsRatingsDatWithLatin1MoviesDat() throws IOException {
    Path dir = dir("ml-1m");
    write(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
    write(
        dir,
        "movies.dat",
        "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
            + "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
            + "73::Misérables, Les (1995)::Drama|Musical\n"
            + "99::No Year::\n",
        StandardCharsets.ISO_8859_1);

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.layout()).isEqualTo("ratings.dat");
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("1", "1193", 5, 978_300_760_000L),
            new Interaction("1", "661", 3, 978_302_109_000L));
    assertThat(data.items()).hasSize(4);
    assertThat(data.items().get("661").genres())
        .containsExactly("Animation", "Children's", "Musical");
    assertThat(data.items().get("73"))
        .isEqualTo(new ItemInfo("73", "Misérables, Les (1995)", List.of("Drama", "Musical"), 1995));
    assertThat(data.items().get("99")).isEqualTo(new ItemInfo("99", "No Year", List.of(), null));
  }

  @Test
  void readsGzippedRatingsDat() throws IOException {
    Path dir = dir("gz");
    writeGzip(dir, "ratings.dat.gz", "1::2::5::100\n3::4::1::200\n");
    write(dir, "movies.dat", "2::Two (2000)::Drama\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.layout()).isEqualTo("ratings.dat");
    assertThat(data.interactions()).hasSize(2);
    assertThat(data.interactions().get(1)).isEqualTo(new Interaction("3", "4", 1, 200_000L));
    assertThat(data.items()).containsOnlyKeys("2");
  }

  @Test
  void findsASinglePartialGzippedRatingsFile() throws IOException {
    Path dir = dir("ml-1m");
    writeGzip(dir, "ratings.partial-users-1-2.dat.gz", "1::2::5::100\n2::2::4::200\n");
    write(dir, "movies.dat", "2::Two (2000)::Drama\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.name()).isEqualTo("ml-1m");
    assertThat(data.interactions()).extracting(Interaction::userId).containsExactly("1", "2");
    assertThat(data.items()).hasSize(1);
  }

  @Test
  void rejectsSeveralPartialGzippedRatingsFiles() throws IOException {
    Path dir = dir("two");
    writeGzip(dir, "ratings.part1.dat.gz", "1::2::5::100\n");
    writeGzip(dir, "ratings.part2.dat.gz", "1::3::5::100\n");

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ratings.part1.dat.gz")
        .hasMessageContaining("ratings.part2.dat.gz");
  }

  @Test
  void detectsGzipByItsMagicBytes() throws IOException {
    Path dir = dir("magic");
    writeGzip(dir, "ratings.dat", "7::8::2::300\n");

    assertThat(MovieLensReader.read(dir).interactions())
        .containsExactly(new Interaction("7", "8", 2, 300_000L));
  }

  @Test
  void rejectsAGzNameWithoutGzipData() throws IOException {
    Path dir = dir("fake");
    write(dir, "ratings.dat.gz", "7::8::2::300\n");

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ratings.dat.gz")
        .hasMessageContaining("not gzip");
  }

  @Test
  void reportsATruncatedGzipFileWithTheLineReached() throws IOException {
    Path dir = dir("cut");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      text.append(i).append("::").append(i * 7 % 1000).append("::4::").append(i).append('\n');
    }
    byte[] gz = gzip(text.toString());
    Files.write(dir.resolve("ratings.dat.gz"), Arrays.copyOf(gz, gz.length / 2));

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOfSatisfying(
            DataFormatException.class, e -> assertThat(e.getLine()).isGreaterThan(1))
        .hasMessageContaining("ratings.dat.gz line ")
        .hasMessageContaining("cannot read");
  }

  // ------------------------------------------------------------------ ratings.csv

  @Test
  void readsRatingsCsvWithQuotedMoviesCsv() throws IOException {
    Path dir = dir("ml-latest-small");
    write(
        dir,
        "ratings.csv",
        CSV_HEADER + "1,11,4.0,964982703\r\n1,40697,0.5,964982224\r\n2,7,3.5,1");
    write(
        dir,
        "movies.csv",
        "movieId,title,genres\n"
            + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
            + "7789,\"11'09\"\"01 - September 11 (2002)\",Drama\n"
            + "40697,Babylon 5,Sci-Fi\n"
            + "143410,Hyena Road,(no genres listed)\n"
            + "27008,From Dusk Till Dawn 2: Texas Blood Money (1999) ,Comedy|Crime|Horror\n"
            + "171749,Death Note: Desu nôto (2006–2007),(no genres listed)\n"
            + "5,\"Two\nLines (2001)\",\"Drama\"\n"
            + "7,Seven (1995),Mystery|Thriller\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.layout()).isEqualTo("ratings.csv");
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("1", "11", 4.0, 964_982_703_000L),
            new Interaction("1", "40697", 0.5, 964_982_224_000L),
            new Interaction("2", "7", 3.5, 1_000L));
    assertThat(data.items().values())
        .containsExactly(
            new ItemInfo(
                "11",
                "American President, The (1995)",
                List.of("Comedy", "Drama", "Romance"),
                1995),
            new ItemInfo("7789", "11'09\"01 - September 11 (2002)", List.of("Drama"), 2002),
            new ItemInfo("40697", "Babylon 5", List.of("Sci-Fi"), null),
            new ItemInfo("143410", "Hyena Road", List.of(), null),
            new ItemInfo(
                "27008",
                "From Dusk Till Dawn 2: Texas Blood Money (1999)",
                List.of("Comedy", "Crime", "Horror"),
                1999),
            new ItemInfo("171749", "Death Note: Desu nôto (2006–2007)", List.of(), null),
            new ItemInfo("5", "Two\nLines (2001)", List.of("Drama"), 2001),
            new ItemInfo("7", "Seven (1995)", List.of("Mystery", "Thriller"), 1995));
  }

  @Test
  void ratingsCsvWithoutMoviesCsvHasNoItems() throws IOException {
    Path dir = dir("r");
    write(dir, "ratings.csv", "\uFEFF" + CSV_HEADER + "1,2,4.5,10\n");

    Dataset data = MovieLensReader.read(dir);

    assertThat(data.interactions()).containsExactly(new Interaction("1", "2", 4.5, 10_000L));
    assertThat(data.items()).isEmpty();
  }

  @Test
  void ratingValuesKeepTheirPrecision() throws IOException {
    // Values outside 0.5..5 were accepted here before ratings were checked against the scale;
    // ratingsOutsideTheScaleAreRejectedWithFileAndLine covers those now.
    Path dir = dir("p");
    write(dir, "ratings.csv", CSV_HEADER + "1,2,3.3,10\n1,3,0.75,10\n1,4,4.99,10\n1,5,1.5e0,10\n");

    assertThat(MovieLensReader.read(dir).interactions())
        .extracting(Interaction::value)
        .containsExactly(3.3, 0.75, 4.99, 1.5);
  }

  // ------------------------------------------------------------------ rating scales

  @Test
  void eachLayoutHasItsDocumentedScale() throws IOException {
    Path uData = dir("u");
    write(uData, "u.data", "1\t2\t3\t10\n1\t3\t4\t10\n");
    Path dat = dir("dat");
    write(dat, "ratings.dat", "1::2::3::10\n");
    Path csv = dir("csv");
    write(csv, "ratings.csv", CSV_HEADER + "1,2,3.5,10\n");

    // The scale is the layout's, not the range of the ratings present (3..4 and 3.5..3.5 here).
    assertThat(MovieLensReader.read(uData).scale()).isEqualTo(new RatingScale(1, 5));
    assertThat(MovieLensReader.read(dat).scale()).isEqualTo(new RatingScale(1, 5));
    assertThat(MovieLensReader.read(csv).scale()).isEqualTo(new RatingScale(0.5, 5));
  }

  @Test
  void ratingsAtTheEndsOfTheScaleAreAccepted() throws IOException {
    Path uData = dir("u");
    write(uData, "u.data", "1\t2\t1\t10\n1\t3\t5\t10\n1\t4\t5.0\t10\n");
    Path csv = dir("csv");
    write(csv, "ratings.csv", CSV_HEADER + "1,2,0.5,10\n1,3,5.0,10\n1,4,5,10\n");

    assertThat(MovieLensReader.read(uData).interactions())
        .extracting(Interaction::value)
        .containsExactly(1.0, 5.0, 5.0);
    assertThat(MovieLensReader.read(csv).interactions())
        .extracting(Interaction::value)
        .containsExactly(0.5, 5.0, 5.0);
  }

  static Stream<Arguments> outsideTheScale() {
    return Stream.of(
        // REGRESSION: a 99 was accepted and the evaluator failed later with a NaN and no line.
        bad("u.data", "1\t2\t3\t4\n1\t3\t99\t5\n", 2, "rating is outside the scale 1..5"),
        bad("ratings.dat", "1::2::3::4\n1::3::99::5\n", 2, "rating is outside the scale 1..5"),
        bad("ratings.csv", CSV_HEADER + "1,2,3.5,4\n1,3,99,5\n", 3, "outside the scale 0.5..5"),
        bad("u.data", "1\t2\t0\t4\n", 1, "rating is outside the scale 1..5 of u.data: '0'"),
        bad("u.data", "1\t2\t5.5\t4\n", 1, "rating is outside the scale 1..5 of u.data: '5.5'"),
        bad("u.data", "1\t2\t-3\t4\n", 1, "rating is outside the scale 1..5 of u.data: '-3'"),
        bad("ratings.dat", "1::2::6::4\n", 1, "outside the scale 1..5 of ratings.dat: '6'"),
        bad("ratings.dat", "1::2::0.5::4\n", 1, "outside the scale 1..5 of ratings.dat: '0.5'"),
        bad("ratings.csv", CSV_HEADER + "1,2,0.0,4\n", 2, "0.5..5 of ratings.csv: '0.0'"),
        bad("ratings.csv", CSV_HEADER + "1,2,0.25,4\n", 2, "0.5..5 of ratings.csv: '0.25'"),
        bad("ratings.csv", CSV_HEADER + "1,2,10,4\n", 2, "0.5..5 of ratings.csv: '10'"),
        bad("ratings.csv", CSV_HEADER + "1,2,-1.5e0,4\n", 2, "0.5..5 of ratings.csv: '-1.5e0'"),
        bad("ratings.csv", CSV_HEADER + "1,2,\"5.5\",4\n", 2, "0.5..5 of ratings.csv: '5.5'"),
        bad("ratings.csv", CSV_HEADER + "1,2,1e309,4\n", 2, "rating is not a finite number"),
        bad("ratings.dat", "1::2::NaN::4\n", 1, "rating is not a finite number: 'NaN'"),
        bad("ratings.dat", "1::2::4 stars::4\n", 1, "rating is not a number: '4 stars'"));
  }

  @ParameterizedTest(name = "{0} line {2}: {3}")
  @MethodSource("outsideTheScale")
  void ratingsOutsideTheScaleAreRejectedWithFileAndLine(
      String file, String content, int line, String message) throws IOException {
    reportsTheFileAndLineOfAMalformedRatingsLine(file, content, line, message);
  }

  @Test
  void aGzippedRatingsFileIsCheckedToo() throws IOException {
    Path dir = dir("gz-scale");
    writeGzip(dir, "ratings.dat.gz", "1::2::5::100\n3::4::99::200\n");

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("ratings.dat.gz line 2: rating is outside the scale 1..5 of ratings.dat: '99'");
  }

  // ------------------------------------------------------------------ errors

  static Stream<Arguments> malformed() {
    String ok = "1\t2\t3\t4\n";
    return Stream.of(
        // file, content, line, what the message says
        bad("u.data", "1\t2\t3\n", 1, "expected 4 tab-separated fields, found 3"),
        bad("u.data", ok + ok + "1\t2\t3\t4\t5\n", 3, "expected 4 tab-separated fields, found 5"),
        bad("u.data", "1 2 3 4\n", 1, "expected 4 tab-separated fields, found 1"),
        bad("u.data", ok + "1\t2\tfour\t4\n", 2, "rating is not a number: 'four'"),
        bad("u.data", "1\t2\t\t4\n", 1, "rating is not a number: ''"),
        bad("u.data", "1\t2\tNaN\t4\n", 1, "rating is not a finite number"),
        bad("u.data", "1\t2\t-Infinity\t4\n", 1, "rating is not a finite number"),
        bad("u.data", "1\t2\t3\t4.5\n", 1, "timestamp is not a whole number of seconds"),
        bad("u.data", "1\t2\t3\tnow\n", 1, "timestamp is not a whole number of seconds"),
        bad("u.data", "1\t2\t3\t\n", 1, "timestamp is not a whole number of seconds"),
        bad("u.data", "1\t2\t3\t-5\n", 1, "timestamp is negative"),
        bad("u.data", "1\t2\t3\t99999999999999999\n", 1, "timestamp is out of range"),
        bad("u.data", "\t2\t3\t4\n", 1, "empty user id"),
        bad("u.data", ok + "1\t \t3\t4\n", 2, "empty item id"),
        bad("u.data", ok + "\n" + ok, 2, "blank line before the end of the file"),
        bad("ratings.dat", "1::2::3\n", 1, "expected 4 '::'-separated fields, found 3"),
        bad("ratings.dat", "1::2::3::4\n1::2::3::4::5\n", 2, "found 5"),
        bad("ratings.dat", "1::2::five::4\n", 1, "rating is not a number: 'five'"),
        bad("ratings.dat", "1::2::3::x\n", 1, "timestamp is not a whole number"),
        bad("ratings.dat", "::2::3::4\n", 1, "empty user id"),
        bad("ratings.csv", "1,2,3.5,4\n", 1, "expected the header userId,movieId,rating,timestamp"),
        bad("ratings.csv", "", 1, "empty file"),
        bad("ratings.csv", CSV_HEADER + "1,2,3.5\n", 2, "expected 4 comma-separated fields"),
        bad("ratings.csv", CSV_HEADER + "1,2,3.5,4,5\n", 2, "found 5"),
        bad("ratings.csv", CSV_HEADER + "1,2,3.5,abc\n", 2, "timestamp is not a whole number"),
        bad("ratings.csv", CSV_HEADER + "1,2,Infinity,4\n", 2, "rating is not a finite number"),
        bad("ratings.csv", CSV_HEADER + "1,,3.5,4\n", 2, "empty item id"),
        bad("ratings.csv", CSV_HEADER + "1,2,3,4\n1,2,\"3.5,4\n", 3, "quoted field is not closed"));
  }

  private static Arguments bad(String file, String content, int line, String message) {
    return Arguments.of(file, content, line, message);
  }

  @ParameterizedTest(name = "{0} line {2}: {3}")
  @MethodSource("malformed")
  void reportsTheFileAndLineOfAMalformedRatingsLine(
      String file, String content, int line, String message) throws IOException {
    Path dir = dir("bad");
    write(dir, file, content);

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOfSatisfying(
            DataFormatException.class,
            e -> {
              assertThat(e.getFile().getFileName()).hasToString(file);
              assertThat(e.getLine()).isEqualTo(line);
            })
        .hasMessageStartingWith(file + " line " + line + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void messageMatchesTheDocumentedExample() throws IOException {
    Path dir = dir("ml");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < 17; i++) {
      text.append(i).append("\t1\t5\t100\n");
    }
    text.append("17\t1\t5\n");
    write(dir, "u.data", text.toString());

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("u.data line 17: expected 4 tab-separated fields, found 3");
  }

  static Stream<Arguments> malformedItems() {
    String item24 = "1|Toy Story (1995)|01-Jan-1995||http://u" + "|0".repeat(19) + "\n";
    return Stream.of(
        Arguments.of("u.item", item24 + "2|Short|01-Jan-1995||url|0|1\n", 2, "expected 24 '|'"),
        Arguments.of(
            "u.item", item24.replace("|0|0\n", "|0|2\n"), 1, "genre flag 19 (Western) is not 0"),
        Arguments.of("u.item", item24.replace("01-Jan-1995", "soon"), 1, "release date"),
        Arguments.of("u.item", item24 + item24, 2, "item id 1 is listed twice"),
        Arguments.of("u.item", "|x|||" + "|0".repeat(19) + "\n", 1, "empty item id"),
        Arguments.of("u.genre", "Action|1\nunknown\n", 2, "expected 2 '|'-separated fields"),
        Arguments.of("u.genre", "Action|one\n", 1, "genre index is not a whole number"),
        Arguments.of("movies.dat", "1::Toy Story (1995)\n", 1, "expected 3 '::'-separated"),
        Arguments.of("movies.dat", "1::A::Drama\n1::B::Drama\n", 2, "movie id 1 is listed twice"),
        Arguments.of("movies.csv", "id,title,genres\n", 1, "expected the header movieId,title"),
        Arguments.of("movies.csv", "movieId,title,genres\n1,A\n", 2, "expected 3 comma-separated"),
        Arguments.of(
            "movies.csv", "movieId,title,genres\n1,\"A, B\" (1990),Drama\n", 2, "closing quote"),
        Arguments.of(
            "movies.csv",
            "movieId,title,genres\n1,A,Drama\n2,\"B (1990),Drama\n3,C,Drama\n",
            3,
            "quoted field is not closed"),
        Arguments.of("movies.csv", "movieId,title,genres\n,A,Drama\n", 2, "empty movie id"));
  }

  @ParameterizedTest(name = "{0} line {2}: {3}")
  @MethodSource("malformedItems")
  void reportsTheFileAndLineOfAMalformedItemLine(
      String file, String content, int line, String message) throws IOException {
    Path dir = dir("bad-items");
    switch (file) {
      case "u.item":
      case "u.genre":
        write(dir, "u.data", "1\t1\t5\t100\n");
        break;
      case "movies.dat":
        write(dir, "ratings.dat", "1::1::5::100\n");
        break;
      default:
        write(dir, "ratings.csv", CSV_HEADER + "1,1,5,100\n");
    }
    write(dir, file, content);
    if (file.equals("u.genre")) {
      write(dir, "u.item", "1|A (1990)|||url|0\n");
    }

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOfSatisfying(
            DataFormatException.class, e -> assertThat(e.getLine()).isEqualTo(line))
        .hasMessageStartingWith(file + " line " + line + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void rejectsMoviesCsvThatIsNotUtf8() throws IOException {
    Path dir = dir("latin");
    write(dir, "ratings.csv", CSV_HEADER + "1,1,5,100\n");
    write(
        dir,
        "movies.csv",
        "movieId,title,genres\n1,Misérables (1995),Drama\n",
        StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("movies.csv line 2: ")
        .hasMessageContaining("not valid UTF-8 text");
  }

  @Test
  void reportsAMissingPath() {
    Path missing = tmp.resolve("no-such-dir");

    assertThatThrownBy(() -> MovieLensReader.read(missing))
        .isInstanceOfSatisfying(
            DataFormatException.class,
            e -> {
              assertThat(e.getFile()).isEqualTo(missing);
              assertThat(e.getLine()).isZero();
            })
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file or directory");
    assertThatThrownBy(() -> MovieLensReader.read(tmp.resolve("u.data")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(tmp.resolve("u.data").toString());
  }

  @Test
  void reportsADirectoryWithoutRatings() throws IOException {
    Path dir = dir("empty");
    write(dir, "movies.csv", "movieId,title,genres\n");

    assertThatThrownBy(() -> MovieLensReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("no ratings file found");
  }

  @Test
  void reportsAFileWhoseLayoutCannotBeTold() throws IOException {
    Path dir = dir("odd");
    write(dir, "ratings.txt", "1 2 3 4\n");

    assertThatThrownBy(() -> MovieLensReader.read(dir.resolve("ratings.txt")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ratings.txt")
        .hasMessageContaining("cannot tell the layout");
  }

  @Test
  void tellsTheLayoutOfAnUnusualNameFromTheFirstLine() throws IOException {
    Path dir = dir("sniff");
    write(dir, "a.txt", "1::2::3::4\n");
    write(dir, "b.txt", CSV_HEADER + "1,2,3,4\n");
    write(dir, "c.txt", "1\t2\t3\t4\n");

    assertThat(MovieLensReader.read(dir.resolve("a.txt")).layout()).isEqualTo("ratings.dat");
    assertThat(MovieLensReader.read(dir.resolve("b.txt")).layout()).isEqualTo("ratings.csv");
    assertThat(MovieLensReader.read(dir.resolve("c.txt")).layout()).isEqualTo("u.data");
  }

  @Test
  void resultIsUnmodifiable() throws IOException {
    Path dir = dir("ro");
    write(dir, "ratings.dat", "1::2::3::4\n");
    write(dir, "movies.dat", "2::B (1990)::Drama\n");
    Dataset data = MovieLensReader.read(dir);

    assertThatThrownBy(() -> data.interactions().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> data.items().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> data.items().get("2").genres().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ------------------------------------------------------------------ helpers

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  private static void write(Path dir, String name, String content) throws IOException {
    write(dir, name, content, StandardCharsets.UTF_8);
  }

  private static void write(Path dir, String name, String content, Charset charset)
      throws IOException {
    Files.write(dir.resolve(name), content.getBytes(charset));
  }

  private static void writeGzip(Path dir, String name, String content) throws IOException {
    Files.write(dir.resolve(name), gzip(content));
  }

  private static byte[] gzip(String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content.getBytes(StandardCharsets.ISO_8859_1));
    }
    return bytes.toByteArray();
  }
}
