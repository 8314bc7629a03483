package io.dvo.gate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.http.auth.ApiKeyAuthenticator;
import io.dvo.gate.http.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvo-gate api-key new|hash}: create pipeline API keys. The gate only ever stores the
 * SHA-256 of a key ({@code DVO_API_KEYS}); the key itself is printed once, for the pipeline's
 * secret store.
 */
@Command(
    name = "api-key",
    mixinStandardHelpOptions = true,
    description = "Create pipeline API keys (header " + ApiKeyAuthenticator.HEADER + ").",
    subcommands = {ApiKeyCommand.New.class, ApiKeyCommand.Hash.class})
final class ApiKeyCommand implements Runnable {
  static final String PREFIX = "dvo_";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (new, hash)");
  }

  /** 32 random bytes, base64url without padding, prefixed so scanners can spot a leaked key. */
  static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Print a fresh key and the entry (with its SHA-256) to add to the DVO_API_KEYS array.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--id",
        required = true,
        paramLabel = "<id>",
        description = "Short name, e.g. jenkins-prod; the caller is recorded as apikey:<id>")
    String id;

    @Option(
        names = "--roles",
        required = true,
        split = ",",
        paramLabel = "<role>",
        description = "Gate roles, comma separated, e.g. gate_caller")
    List<String> roles;

    @Option(
        names = "--tenants",
        required = true,
        split = ",",
        paramLabel = "<tenant>",
        description = "Tenants the key may act for, comma separated")
    List<String> tenants;

    @Option(names = "--name", paramLabel = "<name>", description = "Display name (default: id)")
    String name;

    @Override
    public Integer call() {
      if (!ID.matcher(id).matches()) {
        throw new Main.UsageException("--id must be 1-64 letters, digits, '.', '_' or '-'");
      }
      List<String> cleanRoles = clean("--roles", roles);
      List<String> cleanTenants = clean("--tenants", tenants);
      String key = newKey();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("sha256", ApiKeys.sha256Hex(key));
      entry.put("roles", cleanRoles);
      entry.put("tenants", cleanTenants);
      if (name != null && !name.isBlank()) {
        entry.put("name", name.trim());
      }
      String json;
      try {
        json = new ObjectMapper().writeValueAsString(entry);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("could not write the entry", e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("API key (shown only now; store it as the pipeline's secret):");
      out.println(key);
      out.println();
      out.println("Add this entry to the JSON array in DVO_API_KEYS (only the hash is stored):");
      out.println(json);
      out.flush();
      return Main.OK;
    }

    private static List<String> clean(String option, List<String> values) {
      List<String> cleaned = values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
      if (cleaned.isEmpty()) {
        throw new Main.UsageException(option + " needs at least one value");
      }
      return cleaned;
    }
  }

  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description = "Read a key from standard input and print its SHA-256 for DVO_API_KEYS.")
  static final class Hash implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String key;
      try {
        key =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        throw new Main.UsageException("could not read the key from standard input");
      }
      if (key == null || key.isBlank()) {
        throw new Main.UsageException("no key on standard input (pipe it in: ... | api-key hash)");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(ApiKeys.sha256Hex(key.trim()));
      out.flush();
      return Main.OK;
    }
  }
}
