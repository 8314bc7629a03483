package io.dvo.gate.functions;

import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.TrustScenarios;

/** The trust scenarios through the Azure Functions classes, with request/response doubles. */
class FunctionsTrustScenariosTest extends TrustScenarios {
  @Override
  protected Transport transport(GateFixture fixture) {
    return new FunctionsTransport(fixture.app.httpApi());
  }
}
