package io.dvo.gate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.cli.Main;
import io.dvo.gate.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The output lines docs/policies.md shows under "Command line" ({@code # ...} after each command)
 * are what the commands print for the repository's pack today: the counts of rules and of passing
 * test cases, a test case's line, and the decision of the example request. A new rule or test case
 * then fails this test until the page says so, instead of leaving the page wrong.
 */
class PolicyCommandDocsTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path PACK = REPO.resolve("policies");

  @TempDir Path tmp;
  private String page;

  @BeforeEach
  void readPage() throws Exception {
    page = Files.readString(REPO.resolve("docs/policies.md"));
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    cli.execute(args);
    return out.toString();
  }

  /** The page's single match of {@code regex} (one group), so a reworded page fails loudly. */
  private String shown(String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(page);
    assertThat(m.find()).as("docs/policies.md shows a line matching " + regex).isTrue();
    String found = m.group(1);
    assertThat(m.find()).as("only one line matching " + regex).isFalse();
    return found;
  }

  @Test
  void theTestCountThePageShowsIsTheNumberOfThePacksCasesThatPass() {
    String shown = shown("^#\\s+(\\d+ passed, \\d+ failed)$");
    String[] lines = run("policy", "test", PACK.toString()).strip().split("\n");

    assertThat(shown).isEqualTo(lines[lines.length - 1]);
    String example = shown("^#\\s+(PASS .+)$");
    assertThat(Arrays.asList(lines)).contains(example);
  }

  @Test
  void theRuleCountThePageShowsIsThePacks() {
    String shown = shown("^#\\s+(valid: \\d+ rules \\(\\d+ enabled\\)) in ");
    String printed = run("policy", "validate", PACK.toString());

    assertThat(printed).startsWith(shown + " in ");
  }

  @Test
  void theExampleRequestIsDecidedAsThePageSays() throws Exception {
    Matcher request =
        Pattern.compile("cat > request.json <<'EOF'\\n(.*?)\\nEOF\\n", Pattern.DOTALL)
            .matcher(page);
    assertThat(request.find()).as("the page's request.json").isTrue();
    Path file = tmp.resolve("request.json");
    Files.writeString(file, request.group(1));
    Matcher at = Pattern.compile("--at (\\S+) --zone (\\S+)").matcher(page);
    assertThat(at.find()).as("the page's --at and --zone").isTrue();
    String decision = shown("^#\\s+\"decision\" : \"(\\w+)\"");
    String rule = shown("^#\\s+\"decision\" : \"\\w+\", \"matched_rules\" : \\[ \"([\\w-]+)\" \\]");

    JsonNode printed =
        Json.mapper()
            .readTree(
                run(
                    "policy",
                    "eval",
                    "--policies",
                    PACK.toString(),
                    "--input",
                    file.toString(),
                    "--at",
                    at.group(1),
                    "--zone",
                    at.group(2)));

    assertThat(printed.path("decision").asText()).isEqualTo(decision);
    assertThat(printed.path("matched_rules").get(0).asText()).isEqualTo(rule);
  }
}
