package io.dvo.gate.functions;

import io.dvo.gate.server.RunOutcomeServerTest;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Transport;

/** The run outcome scenarios through the Azure Functions classes, with request/response doubles. */
class RunOutcomeFunctionsTest extends RunOutcomeServerTest {
  @Override
  protected Transport transport(GateFixture fixture) {
    return new FunctionsTransport(fixture.app.httpApi());
  }
}
