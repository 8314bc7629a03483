package io.dvo.gate.functions;

import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.GateScenarios;
import io.dvo.gate.testsupport.Transport;

/** The end-to-end scenarios through the Azure Functions classes, with request/response doubles. */
class FunctionsScenariosTest extends GateScenarios {
  @Override
  protected Transport transport(GateFixture fixture) {
    return new FunctionsTransport(fixture.app.httpApi());
  }
}
