package io.personalize.connectors.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedDataTest {
  @TempDir Path tmp;

  @Test
  void walksUpFromAModuleDirectoryToTheSharedDataBesideTheRepository() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("shared/data/ml-x"));
    Path module = Files.createDirectories(tmp.resolve("repo/connectors"));

    assertThat(SharedData.find("ml-x", module)).contains(data);
    assertThat(SharedData.find("ml-x", module.getParent())).contains(data);
    assertThat(SharedData.find("ml-x", module.resolve("../connectors/./"))).contains(data);
    assertThat(SharedData.find("ml-y", module)).isEmpty();
  }

  @Test
  void theNearestSharedDataWins() throws IOException {
    Files.createDirectories(tmp.resolve("shared/data/ml-x"));
    Path inner = Files.createDirectories(tmp.resolve("outer/shared/data/ml-x"));
    Path start = Files.createDirectories(tmp.resolve("outer/repo"));

    assertThat(SharedData.find("ml-x", start)).contains(inner);
  }

  @Test
  void theNamesAreTheNearestSharedDatasDataSets() throws IOException {
    Files.createDirectories(tmp.resolve("shared/data/ml-x"));
    Files.createDirectories(tmp.resolve("outer/shared/data/ml-b"));
    Files.createDirectories(tmp.resolve("outer/shared/data/ml-a"));
    Files.createFile(tmp.resolve("outer/shared/data/README.md"));
    Path start = Files.createDirectories(tmp.resolve("outer/repo"));

    assertThat(SharedData.names(start)).containsExactly("ml-a", "ml-b");
    assertThat(SharedData.names(Files.createDirectories(tmp.resolve("elsewhere"))))
        .containsExactly("ml-x");
  }

  @Test
  void rejectsNamesThatAreNotADirectoryName() {
    assertThatThrownBy(() -> SharedData.find("../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SharedData.find(tmp.toString()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SharedData.find(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findFromTheWorkingDirectoryGivesANormalizedAbsolutePath() {
    SharedData.find("ml-100k")
        .ifPresent(
            p -> {
              assertThat(p).isAbsolute().isEqualTo(p.normalize()).isDirectory();
              assertThat(p.endsWith(Path.of("shared", "data", "ml-100k"))).isTrue();
            });
    assertThat(SharedData.find("no-such-data-set-here")).isEmpty();
  }
}
