package io.dvo.gate.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import io.dvo.gate.pipeline.BuildOutcomeReports;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;

/**
 * Reports the run outcome when a build completes, for every {@code dvoPolicyGate} call of the build
 * that let a run start: glue around shared-policy's {@link BuildOutcomeReports}, which decides what
 * is owed and words every line. Nothing here blocks the thread completing the build: the reports
 * go out asynchronously, and their answers are kept on the build's {@link DvoPolicyGateAction}
 * (the build log closes right after this listener) and in the Jenkins log. A report that cannot be
 * made never changes the build's result.
 */
@Extension
public final class DvoPolicyGateRunListener extends RunListener<Run<?, ?>> {
  private static final Logger LOGGER = Logger.getLogger(DvoPolicyGateRunListener.class.getName());

  @Override
  public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
    DvoPolicyGateAction action = run.getAction(DvoPolicyGateAction.class);
    if (action == null) {
      return; // no gate call in this build
    }
    Result result = run.getResult();
    String buildResult = result == null ? null : result.toString();
    List<BuildOutcomeReports.Due> due =
        BuildOutcomeReports.due(buildResult, action.finishedCalls());
    if (due.isEmpty()) {
      return;
    }
    for (BuildOutcomeReports.Due d : due) {
      listener.getLogger().println(BuildOutcomeReports.reporting(d, buildResult));
    }
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    String globalCredentialsId = config.getCredentialsId();
    String build = run.getFullDisplayName();
    BuildOutcomeReports.sendAll(
            due,
            call ->
                config.newClient(
                    call.credentialsIdOr(globalCredentialsId), call.sourceOrGlobal(), run))
        .thenAcceptAsync(
            sent -> {
              for (BuildOutcomeReports.Sent s : sent) {
                action.reported(s.key(), s.line());
                LOGGER.log(Level.INFO, "{0}: {1}", new Object[] {build, s.line()});
              }
              try {
                run.save();
              } catch (IOException e) {
                LOGGER.log(Level.WARNING, "could not save " + build, e);
              }
            },
            Timer.get());
  }
}
