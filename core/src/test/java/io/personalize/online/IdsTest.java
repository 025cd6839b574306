package io.personalize.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Ids#hash}: 64-bit FNV-1a over the UTF-8 bytes, with and without characters past ASCII. */
class IdsTest {
  @Test
  void asciiIdsHashAsThePublishedFnv1aVectors() {
    assertThat(Ids.hash("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(Ids.hash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(Ids.hash("foobar")).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  void idsPastAsciiHashTheirUtf8Bytes() {
    // Computed independently over "user-\u00e9".getBytes(UTF_8) and "\u65e5\u672c" (2 and 6 bytes).
    assertThat(Ids.hash("user-\u00e9")).isEqualTo(0x308240a54b490a99L);
    assertThat(Ids.hash("\u65e5\u672c")).isEqualTo(0x121d7e35a6d3ce91L);
  }
}
