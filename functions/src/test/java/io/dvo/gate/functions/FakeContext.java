package io.dvo.gate.functions;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

final class FakeContext implements ExecutionContext {
  @Override
  public Logger getLogger() {
    return Logger.getLogger("functions-test");
  }

  @Override
  public String getInvocationId() {
    return "test-invocation";
  }

  @Override
  public String getFunctionName() {
    return "test";
  }
}
