package io.dvo.gate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.client.GateClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dvo-gate quota show}: the tenant's quota settings and usage (admin or tenant_admin). */
@Command(
    name = "quota",
    mixinStandardHelpOptions = true,
    description = "Read a tenant's credit quota.",
    subcommands = {QuotaCommand.Show.class})
public final class QuotaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (show)");
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Budget, caps and usage in a period.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Option(names = "--period", paramLabel = "YYYY-MM", description = "Default: this month (UTC).")
    String period;

    @Option(names = "--json", description = "Print {settings, usage} as JSON.")
    boolean json;

    @Override
    public Integer call() throws GateClientException {
      var client = gate.client();
      String tenant = gate.tenant();
      JsonNode settings = client.quotaSettings(tenant);
      JsonNode usage = client.quotaUsage(tenant, period);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        var doc = ApprovalsCommand.Mapper.JSON.createObjectNode();
        doc.set("settings", settings);
        doc.set("usage", usage);
        out.println(doc.toString());
      } else {
        out.println("Tenant " + tenant + ", period " + ApprovalsCommand.text(usage.path("period")));
        out.println("  monthly budget: " + ApprovalsCommand.text(settings.path("monthly_budget")));
        out.println("  per-plan cap:   " + ApprovalsCommand.text(settings.path("per_plan_cap")));
        settings
            .fields()
            .forEachRemaining(
                f -> {
                  if (!f.getKey().equals("monthly_budget")
                      && !f.getKey().equals("per_plan_cap")
                      && !f.getKey().equals("tenant_id")) {
                    out.println("  " + f.getKey() + ": " + f.getValue());
                  }
                });
        usage
            .fields()
            .forEachRemaining(
                f -> {
                  if (!f.getKey().equals("period") && !f.getKey().equals("tenant_id")) {
                    out.println("  " + f.getKey() + ": " + f.getValue());
                  }
                });
      }
      out.flush();
      return 0;
    }
  }
}
