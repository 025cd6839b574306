package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.model.EventKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The yoochoose and DIGINETICA readers on small files, and how {@link DataSetReader} finds them.
 */
class SessionDataReaderTest {
  private static final String CLICKS_HEADER = "SessionId\tItemId\tTime\n";
  private static final String VIEWS_HEADER = "session_id;user_id;item_id;timeframe;eventdate\n";

  @TempDir Path tmp;

  // ------------------------------------------------------------------ yoochoose

  @Test
  void readsTheTrainingFileThenTheTestFileAsClicksOfSessions() throws IOException {
    Path dir = dir("clicks");
    write(
        dir,
        "c_train_full.txt",
        CLICKS_HEADER + "3\t214716935\t1396437466.94\n3\t214832672\t1396438212.318\n7\t5\t1.5\n");
    write(dir, "c_test.txt", CLICKS_HEADER + "1\t214536502\t1396860669.277\n");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.name()).isEqualTo("clicks");
    assertThat(data.layout()).isEqualTo("yoochoose");
    assertThat(data.scale()).isEqualTo(Dataset.IMPLICIT);
    assertThat(data.items()).isEmpty();
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("3", "214716935", 1.0, 1_396_437_466_940L, EventKind.CLICK, "3"),
            new Interaction("3", "214832672", 1.0, 1_396_438_212_318L, EventKind.CLICK, "3"),
            new Interaction("7", "5", 1.0, 1_500L, EventKind.CLICK, "7"),
            new Interaction("1", "214536502", 1.0, 1_396_860_669_277L, EventKind.CLICK, "1"));
    assertThat(data.testStart()).isEqualTo(3);
    assertThat(data.trainingPart()).hasSize(3).extracting(Interaction::sessionId).contains("7");
    assertThat(data.testPart()).extracting(Interaction::sessionId).containsExactly("1");
  }

  @ParameterizedTest(name = "{0} s = {1} ms")
  @CsvSource({
    "1396437466.94, 1396437466940",
    "1396437466.318, 1396437466318",
    "1396437466.9, 1396437466900",
    "1396437466, 1396437466000",
    "0.0005, 1", // half up
    "0.0004, 0",
    "0.1239, 124",
    "2.9996, 3000", // the rounding carries into the seconds
  })
  void timeInSecondsWithAFractionIsRoundedToTheMillisecond(String seconds, long millis)
      throws IOException {
    Path dir = dir("t");
    write(dir, "x_train_full.txt", CLICKS_HEADER + "1\t2\t" + seconds + "\n");
    write(dir, "x_test.txt", CLICKS_HEADER);

    Dataset data = DataSetReader.read(dir);

    assertThat(data.interactions().get(0).timeMillis()).isEqualTo(millis);
    assertThat(data.testPart()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1\t2\tabc | line 3: time is not a non-negative number of seconds like 1396437466.94: 'abc'",
        "1\t2\t-5 | line 3: time is not a non-negative number of seconds",
        "1\t2\t1.5e9 | line 3: time is not a non-negative number of seconds",
        "1\t2\t12. | line 3: time is not a non-negative number of seconds",
        "1\t2\t99999999999999999999 | line 3: time is out of range",
        "1\t2 | line 3: expected 3 tab-separated fields (SessionId, ItemId, Time), found 2",
        "1\t2\t3\t4 | line 3: expected 3 tab-separated fields (SessionId, ItemId, Time), found 4",
        "'\t2\t3' | line 3: empty session id", // quoted: CsvSource strips an unquoted value
        "1\t \t3 | line 3: empty item id",
      })
  void aMalformedClickIsReportedWithFileAndLine(String line, String problem) throws IOException {
    Path dir = dir("bad");
    write(dir, "c_train_full.txt", CLICKS_HEADER + "1\t2\t3\n" + line + "\n");
    write(dir, "c_test.txt", CLICKS_HEADER);

    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("c_train_full.txt " + problem)
        .satisfies(e -> assertThat(((DataFormatException) e).getLine()).isEqualTo(3));
  }

  @Test
  void aBadLineInTheTestFileNamesTheTestFile() throws IOException {
    Path dir = dir("bad-test");
    write(dir, "c_train_full.txt", CLICKS_HEADER + "1\t2\t3\n");
    write(dir, "c_test.txt", CLICKS_HEADER + "4\t5\t6\n4\t5\n");

    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("c_test.txt line 3: expected 3 tab-separated fields");
  }

  @Test
  void aClicksFileNeedsItsHeader() throws IOException {
    Path dir = dir("no-header");
    write(dir, "c_train_full.txt", "1\t2\t3\n");
    write(dir, "c_test.txt", "");

    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(
            "c_train_full.txt line 1: expected the header SessionId\\tItemId\\tTime, found"
                + " '1\\t2\\t3'");
    write(dir, "c_train_full.txt", CLICKS_HEADER);
    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("c_test.txt line 1: empty file, expected the header SessionId\\tItemId\\tTime");
  }

  @Test
  void aTrainingFileWithoutItsTestFileOrSeveralTrainingFilesAreErrors() throws IOException {
    Path alone = dir("alone");
    write(alone, "c_train_full.txt", CLICKS_HEADER);
    assertThatThrownBy(() -> DataSetReader.read(alone))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("c_train_full.txt has no test file c_test.txt beside it");

    Path two = dir("two");
    write(two, "a_train_full.txt", CLICKS_HEADER);
    write(two, "b_train_full.txt", CLICKS_HEADER);
    assertThatThrownBy(() -> DataSetReader.read(two))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(
            "several yoochoose training files [a_train_full.txt, b_train_full.txt]; pass the one"
                + " to read");
  }

  @Test
  void aClicksFileGivenDirectlyIsReadAloneWithoutATestPart() throws IOException {
    Path dir = dir("yoochoose-100k-sample");
    write(dir, "c_train_full.txt", CLICKS_HEADER + "1\t2\t3\n");
    write(dir, "c_test.txt", CLICKS_HEADER + "4\t5\t6\n9\t5\t7\n");

    Dataset test = DataSetReader.read(dir.resolve("c_test.txt"));

    assertThat(test.name()).isEqualTo("yoochoose-100k-sample");
    assertThat(test.layout()).isEqualTo("yoochoose");
    assertThat(test.interactions()).extracting(Interaction::userId).containsExactly("4", "9");
    assertThat(test.testPart()).isEmpty();
  }

  // ------------------------------------------------------------------ DIGINETICA

  @Test
  void readsItemViewsOfSessionsWhateverTheUser() throws IOException {
    Path dir = dir("views");
    // The last line has no newline, as in the real file.
    write(
        dir,
        "sample_train-item-views.csv",
        VIEWS_HEADER
            + "1;NA;81766;526309;2016-05-09\n"
            + "1;NA;31331;1031018;2016-05-09\n"
            + "2;198848;13834;0;2016-01-03");

    Dataset data = DataSetReader.read(dir);

    assertThat(data.name()).isEqualTo("views");
    assertThat(data.layout()).isEqualTo("diginetica");
    assertThat(data.scale()).isEqualTo(Dataset.IMPLICIT);
    assertThat(data.items()).isEmpty();
    assertThat(data.testPart()).isEmpty();
    // 2016-05-09 is day 16,930 after 1970-01-01 (46 years with 11 leap days: 16,801 to
    // 2016-01-01; then 31 + 29 + 31 + 30 = 121 to May 1st; 8 more): 16,930 x 86,400,000 ms =
    // 1,462,752,000,000 ms; plus the timeframe. 2016-01-03 is day 16,803.
    assertThat(data.interactions())
        .containsExactly(
            new Interaction("1", "81766", 1.0, 1_462_752_526_309L, EventKind.VIEW, "1"),
            new Interaction("1", "31331", 1.0, 1_462_753_031_018L, EventKind.VIEW, "1"),
            new Interaction("2", "13834", 1.0, 1_451_779_200_000L, EventKind.VIEW, "2"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1;NA;2;5;2016-13-01 | line 3: eventdate is not a date like 2016-05-09: '2016-13-01'",
        "1;NA;2;5;2016-02-30 | line 3: eventdate is not a date like 2016-05-09: '2016-02-30'",
        "1;NA;2;5;09.05.2016 | line 3: eventdate is not a date like 2016-05-09",
        "1;NA;2;5;1969-12-31 | line 3: eventdate is before 1970: '1969-12-31'",
        "1;NA;2;-5;2016-05-09 | line 3: timeframe is not a whole, non-negative number of"
            + " milliseconds: '-5'",
        "1;NA;2;1.5;2016-05-09 | line 3: timeframe is not a whole, non-negative number",
        "1;NA;2;99999999999999999999;2016-05-09 | line 3: time is out of range",
        "1;NA;2;5 | line 3: expected 5 ';'-separated fields (session_id, user_id, item_id,"
            + " timeframe, eventdate), found 4",
        "1;NA;2;5;2016-05-09;x | line 3: expected 5 ';'-separated fields",
        "1;;2;5;2016-05-09 | line 3: empty user id (NA for an anonymous user)",
        ";NA;2;5;2016-05-09 | line 3: empty session id",
      })
  void aMalformedViewIsReportedWithFileAndLine(String line, String problem) throws IOException {
    Path dir = dir("bad");
    write(dir, "train-item-views.csv", VIEWS_HEADER + "1;NA;2;5;2016-05-09\n" + line);

    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("train-item-views.csv " + problem)
        .satisfies(e -> assertThat(((DataFormatException) e).getLine()).isEqualTo(3));
  }

  @Test
  void anItemViewsFileGivenDirectlyIsFoundByItsHeader() throws IOException {
    Path dir = dir("d");
    write(dir, "views.csv", VIEWS_HEADER + "1;NA;2;5;2016-05-09\n");

    Dataset data = DataSetReader.read(dir.resolve("views.csv"));

    assertThat(data.layout()).isEqualTo("diginetica");
    assertThat(data.interactions()).hasSize(1);
  }

  // ------------------------------------------------------------------ finding the layout

  @Test
  void movieLensRatingsComeFirstThenClicksThenViews() throws IOException {
    Path dir = dir("all");
    write(dir, "train-item-views.csv", VIEWS_HEADER + "1;NA;2;5;2016-05-09\n");
    assertThat(DataSetReader.read(dir).layout()).isEqualTo("diginetica");
    write(dir, "c_train_full.txt", CLICKS_HEADER + "1\t2\t3\n");
    write(dir, "c_test.txt", CLICKS_HEADER);
    assertThat(DataSetReader.read(dir).layout()).isEqualTo("yoochoose");
    write(dir, "u.data", "1\t2\t4\t10\n");
    Dataset ratings = DataSetReader.read(dir);
    assertThat(ratings.layout()).isEqualTo("u.data");
    assertThat(ratings.interactions())
        .containsExactly(new Interaction("1", "2", 4, 10_000L, EventKind.RATING, null));
  }

  @Test
  void aDirectoryWithoutAnyKnownFileNamesEveryLayoutItLookedFor() throws IOException {
    Path dir = dir("empty");
    write(dir, "notes.txt", "nothing here\n");

    assertThatThrownBy(() -> DataSetReader.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no ratings file or click log found")
        .hasMessageContaining("u.data, ratings.dat, ratings.dat.gz, ratings.csv")
        .hasMessageContaining("*_train_full.txt with *_test.txt")
        .hasMessageContaining("*train-item-views.csv");
  }

  @Test
  void aMissingPathIsAnError() {
    assertThatThrownBy(() -> DataSetReader.read(tmp.resolve("missing")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("no such file or directory");
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  private static void write(Path dir, String name, String content) throws IOException {
    Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
  }
}
