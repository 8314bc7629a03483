package io.dvo.gate.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Sweeper;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Every five minutes: expire approvals past their time (expiry is also enforced on every read; this
 * sweep makes the state and the notifications catch up) and send due reminders.
 */
public class ExpiryTimer {
  private final Supplier<Sweeper> sweeper;

  public ExpiryTimer() {
    this(() -> GateApp.shared().sweeper());
  }

  public ExpiryTimer(Supplier<Sweeper> sweeper) {
    this.sweeper = sweeper;
  }

  @FunctionName("expireApprovals")
  public void run(
      @TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timerInfo,
      ExecutionContext context) {
    try {
      Sweeper.Result result = sweeper.get().sweep();
      context.getLogger().info(() -> "approval sweep: " + result);
    } catch (RuntimeException e) {
      // The next run retries; expiry is enforced on read meanwhile, so nothing is decided wrongly.
      context.getLogger().log(Level.WARNING, "approval sweep failed: " + e.getMessage());
    }
  }
}
