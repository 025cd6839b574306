package io.personalize.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser and checks behind {@link DockerFilesTest}, each shown catching a broken input. */
class DockerChecksTest {
  private static JsonNode yaml(String text) throws IOException {
    return DockerChecks.YAML.readTree(text);
  }

  @Test
  void parserJoinsContinuationsDropsCommentsAndReadsStagesAndArgs() {
    Dockerfile file =
        Dockerfile.parse(
            """
            # a comment
            ARG BASE=img:1
            FROM ${BASE} AS build
            ARG V=2
            RUN echo a \\
            # a comment inside a continued instruction
                && echo b
            COPY --from=build /x/app-${V}.jar /opt/
            FROM scratch
            CMD ["run", "--flag"]
            """);
    assertThat(file.globalArgs).containsEntry("BASE", "img:1");
    assertThat(file.stages).hasSize(2);
    Dockerfile.Stage build = file.stages.get(0);
    assertThat(build.image()).isEqualTo("img:1");
    assertThat(build.name()).contains("build");
    assertThat(build.all("RUN").get(0).text()).isEqualTo("echo a      && echo b");
    Dockerfile.Instruction copy = build.all("COPY").get(0);
    assertThat(copy.flags()).containsEntry("from", "build");
    assertThat(build.expand(copy.args().get(0))).isEqualTo("/x/app-2.jar");
    Dockerfile.Instruction cmd = file.last().all("CMD").get(0);
    assertThat(cmd.execForm()).isTrue();
    assertThat(cmd.args()).containsExactly("run", "--flag");
  }

  @Test
  void parserRefusesWhatItDoesNotKnow() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM a\nMAINTAINER me\n"))
        .hasMessageContaining("line 2: unknown instruction");
    assertThatThrownBy(() -> Dockerfile.parse("FROM a\nRUN echo \\\n"))
        .hasMessageContaining("continued past the end");
    assertThatThrownBy(() -> Dockerfile.parse("FROM a\nRUN <<EOF\necho\nEOF\n"))
        .hasMessageContaining("heredocs");
    assertThatThrownBy(() -> Dockerfile.parse("# escape=`\nFROM a\n"))
        .hasMessageContaining("escape");
    assertThatThrownBy(() -> Dockerfile.parse("RUN echo\nFROM a\n"))
        .hasMessageContaining("before the first FROM");
    assertThatThrownBy(() -> Dockerfile.parse("FROM a\nCMD [\"x\"\n")).hasMessageContaining("JSON");
  }

  @Test
  void copyFromALaterOrUnknownStageIsCaught() {
    Dockerfile file =
        Dockerfile.parse(
            """
            FROM a AS one
            COPY --from=two /x /x
            FROM b AS two
            COPY --from=one /x /x
            COPY --from=nowhere /y /y
            """);
    assertThat(DockerChecks.copyFromProblems(file))
        .containsExactly(
            "line 2: COPY --from=two names no earlier stage",
            "line 5: COPY --from=nowhere names no earlier stage");
  }

  @Test
  void missingIgnoredOrOutsideSourcesAreCaught(@TempDir Path context) throws IOException {
    Files.createDirectories(context.resolve("core/target"));
    Files.writeString(context.resolve("pom.xml"), "<project/>");
    Files.writeString(context.resolve(".dockerignore"), "**/target\nout\n");
    Dockerfile file =
        Dockerfile.parse(
            """
            FROM a
            COPY pom.xml ./
            COPY missing.txt ./
            COPY core/target /t
            COPY ../secret /s
            """);
    assertThat(DockerChecks.contextSourceProblems(file, context))
        .containsExactly(
            "line 3: missing.txt does not exist in the repository",
            "line 4: core/target is excluded by .dockerignore",
            "line 5: ../secret is not inside the build context");
  }

  @Test
  void argDefaultsThatDisagreeWithEnvAreCaught() {
    Dockerfile file = Dockerfile.parse("ARG IMAGE=a:1\nARG OTHER=b:1\nFROM ${IMAGE}\nARG V=3\n");
    assertThat(DockerChecks.argDefaultProblems(file, Map.of("IMAGE", "a:2", "V", "3")))
        .containsExactly(
            "ARG IMAGE=a:1 disagrees with docker/.env IMAGE=a:2",
            "ARG OTHER has a default but docker/.env has no OTHER");
  }

  @Test
  void literalImagesAndUnknownVariablesAreCaught() throws IOException {
    JsonNode compose =
        yaml(
            """
            services:
              a: {image: "flink:2.3.0"}
              b: {image: "${NOT_IN_ENV}"}
              c: {image: "${OK}", build: {args: {OK: "literal"}}}
            """);
    assertThat(DockerChecks.imageProblems(compose, Map.of("OK", "x:1")))
        .containsExactly(
            "a: image 'flink:2.3.0' is not a ${VARIABLE} of docker/.env",
            "b: docker/.env has no NOT_IN_ENV",
            "c: build arg OK is not ${OK}");
  }

  @Test
  void substitutionsOutsideEnvAreCaught() throws IOException {
    JsonNode compose =
        yaml(
            """
            services:
              a:
                image: "${KNOWN}"
                command: ["sh", "-c", "for t in a b; do echo $$t; done; echo $t ${UNKNOWN} $"]
            """);
    assertThat(DockerChecks.interpolationProblems(compose, Map.of("KNOWN", "x:1")))
        .containsExactly(
            "compose.services.a.command[2]: '$t' is not ${NAME} (write $$ for a literal $)",
            "compose.services.a.command[2]: docker/.env has no UNKNOWN",
            "compose.services.a.command[2]: '$' is not ${NAME} (write $$ for a literal $)");
  }

  @Test
  void dependsOnAMissingServiceIsCaught() throws IOException {
    JsonNode compose =
        yaml(
            """
            services:
              a: {depends_on: [b, ghost]}
              b: {depends_on: {a: {condition: service_started}, phantom: {condition: service_healthy}}}
            """);
    assertThat(DockerChecks.dependsOnProblems(compose))
        .containsExactly(
            "a: depends_on names no service 'ghost'", "b: depends_on names no service 'phantom'");
  }

  @Test
  void portsOnEveryInterfaceAreCaught() throws IOException {
    JsonNode compose =
        yaml(
            """
            services:
              a: {ports: ["127.0.0.1:80:80", "8081:8081", "9000"]}
              b: {ports: [{target: 80, published: 80}], network_mode: host}
              c: {ports: [{target: 80, published: 80, host_ip: 127.0.0.1}]}
            """);
    assertThat(DockerChecks.portProblems(compose))
        .hasSize(4)
        .allMatch(p -> p.startsWith("a:") || p.startsWith("b:"));
  }

  @Test
  void secretsAndHostPathsAreCaught() throws IOException {
    JsonNode compose =
        yaml(
            """
            services:
              a:
                environment:
                  DB_PASSWORD: hunter2
                  API_TOKEN: "${API_TOKEN}"
                  FLINK_PROPERTIES: |
                    s3.secret-key: abc
                volumes: ["/home/someone/data:/data", "./data:/data", "named:/x"]
              b: {environment: {NOTE: "AKIAABCDEFGHIJKLMNOP"}}
            """);
    List<String> problems = DockerChecks.secretProblems(compose, "compose");
    assertThat(problems)
        .anyMatch(p -> p.contains("'DB_PASSWORD' has a literal value"))
        .anyMatch(p -> p.contains("'s3.secret-key' has a literal value"))
        .anyMatch(
            p -> p.contains("compose.services.b.environment.NOTE: value looks like a credential"))
        .anyMatch(p -> p.contains("mounts an absolute host path"))
        .noneMatch(p -> p.contains("API_TOKEN"))
        .noneMatch(p -> p.contains("./data"));
    assertThat(DockerChecks.secretProblems(Map.of("KAFKA_IMAGE", "apache/kafka:4.2.0"), ".env"))
        .isEmpty();
  }

  @Test
  void flinkPropertiesWithBlanksAreRefused() throws IOException {
    JsonNode service = yaml("environment:\n  FLINK_PROPERTIES: |\n    a.b: 1\n    c.d: 8 kb\n");
    assertThatThrownBy(() -> DockerChecks.flinkProperties(service))
        .hasMessageContaining("c.d: 8 kb");
    JsonNode fine = yaml("environment:\n  FLINK_PROPERTIES: |\n    a.b: file:///x\n");
    assertThat(DockerChecks.flinkProperties(fine)).containsEntry("a.b", "file:///x");
  }
}
