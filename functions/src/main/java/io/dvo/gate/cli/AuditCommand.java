package io.dvo.gate.cli;

import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditExport;
import io.dvo.gate.audit.AuditFormat;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditSigner;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.config.Settings;
import io.dvo.gate.config.StoreFactory;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.Stores;
import io.dvo.gate.version.GateVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvo-gate audit verify|export}: re-walk a tenant's chain in the store (the settings name
 * it, as for the gate), verify an exported file without the store, or export a tenant's trail as
 * signed JSON lines or CEF.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify and export the audit trail.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand (verify, export)");
  }

  /**
   * The settings from the environment, read as the server reads them ({@link Settings}: trimmed,
   * defaults applied), with --data-file taking the place of DVO_DATA_FILE.
   */
  static Function<Setting, String> settings(Path dataFile) {
    return settings(Settings.fromEnvironment(), dataFile);
  }

  /** As {@link #settings(Path)}, on top of {@code base}. */
  static Function<Setting, String> settings(Settings base, Path dataFile) {
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    if (dataFile != null) {
      overrides.put(Setting.DVO_DATA_FILE, dataFile.toString());
    }
    return base.with(overrides).asFunction();
  }

  static AuditSigner signer(Function<Setting, String> settings, Path keyFile, boolean required) {
    String key = settings.apply(Setting.DVO_AUDIT_CHECKPOINT_KEY);
    if (keyFile != null) {
      try {
        key = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
      } catch (IOException e) {
        throw new Main.UsageException("cannot read the key file " + keyFile);
      }
    }
    if (key == null || key.isBlank()) {
      if (required) {
        throw new Main.UsageException(
            "DVO_AUDIT_CHECKPOINT_KEY is not set and no --key-file given: the checkpoints"
                + " cannot be checked without the key");
      }
      return null;
    }
    String id = settings.apply(Setting.DVO_AUDIT_CHECKPOINT_KEY_ID);
    try {
      return AuditSigner.fromBase64(key, id == null || id.isBlank() ? "default" : id);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("DVO_AUDIT_CHECKPOINT_KEY: " + e.getMessage());
    }
  }

  static int report(PrintWriter out, PrintWriter err, String what, AuditVerification v) {
    if (v.intact()) {
      out.println(
          what
              + ": intact, "
              + v.checked()
              + " events, last "
              + v.lastSequence()
              + " "
              + v.lastHash());
      out.flush();
      return Main.OK;
    }
    err.println(
        what
            + ": NOT intact ("
            + v.problem().kind().name().toLowerCase()
            + "): "
            + v.problem().message());
    err.flush();
    return Main.FAILED;
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Re-walk a tenant's chain in the store, or check an exported JSON-lines file (--file)"
              + " against its signed checkpoints without the store. Exit 0 intact, 1 not.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--tenant", paramLabel = "<tenant>", description = "Tenant whose chain to walk")
    String tenant;

    @Option(names = "--file", paramLabel = "<export.jsonl>", description = "An export to check")
    Path file;

    @Option(
        names = "--data-file",
        paramLabel = "<gate.db>",
        description = "SQLite file (default: the settings, as the gate reads them)")
    Path dataFile;

    @Option(
        names = "--key-file",
        paramLabel = "<file>",
        description =
            "File holding the checkpoint key (base64), instead of DVO_AUDIT_CHECKPOINT_KEY")
    Path keyFile;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Function<Setting, String> settings = settings(dataFile);
      if (file != null) {
        List<String> lines;
        try {
          lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new Main.UsageException("cannot read " + file + ": " + e.getMessage());
        }
        return report(
            out, err, file.toString(), AuditExport.verify(lines, signer(settings, keyFile, true)));
      }
      if (tenant == null || tenant.isBlank()) {
        throw new Main.UsageException("give --tenant (walk the store) or --file (check an export)");
      }
      try (Stores stores = StoreFactory.fromSettings(settings)) {
        return report(out, err, "tenant " + tenant, AuditReader.verify(stores.audit(), tenant));
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Write a tenant's trail to standard output: jsonl (between signed checkpoints when"
              + " DVO_AUDIT_CHECKPOINT_KEY is set) or cef (one ArcSight CEF line per event).")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--tenant", required = true, paramLabel = "<tenant>")
    String tenant;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|cef")
    String format;

    @Option(
        names = "--after-sequence",
        defaultValue = "-1",
        paramLabel = "<n>",
        description = "Start after this event (default: the start of the stored chain)")
    long after;

    @Option(names = "--data-file", paramLabel = "<gate.db>")
    Path dataFile;

    @Option(
        names = "--key-file",
        paramLabel = "<file>",
        description =
            "File holding the checkpoint key (base64), instead of DVO_AUDIT_CHECKPOINT_KEY")
    Path keyFile;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      AuditFormat.Media media;
      try {
        media = AuditFormat.Media.fromFormat(format);
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException(e.getMessage());
      }
      Function<Setting, String> settings = settings(dataFile);
      AuditSigner signer = media == AuditFormat.Media.CEF ? null : signer(settings, keyFile, false);
      try (Stores stores = StoreFactory.fromSettings(settings)) {
        AuditStore store = stores.audit();
        AuditAnchor start = store.anchor(tenant);
        if (after > start.sequence()) {
          List<AuditEvent> before = store.read(tenant, after - 1, 1);
          if (before.isEmpty() || before.get(0).sequence() != after) {
            throw new Main.UsageException("tenant " + tenant + " has no event " + after);
          }
          start = AuditAnchor.after(before.get(0));
        }
        Iterable<AuditEvent> events = AuditReader.all(store, tenant, start.sequence());
        if (signer != null) {
          AuditExport.write(out, tenant, start, events, signer, Instant.now());
        } else {
          for (AuditEvent e : events) {
            out.println(
                media == AuditFormat.Media.CEF
                    ? AuditFormat.cef(e, GateVersion.current())
                    : AuditFormat.json(e));
          }
          if (media != AuditFormat.Media.CEF) {
            spec.commandLine()
                .getErr()
                .println("note: DVO_AUDIT_CHECKPOINT_KEY is not set, so no signed checkpoints");
          }
        }
        out.flush();
        return Main.OK;
      }
    }
  }
}
