package io.dvo.gate.server;

import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.GateScenarios;
import io.dvo.gate.testsupport.Transport;

/** The end-to-end scenarios through the local server over real HTTP. */
class LocalServerScenariosTest extends GateScenarios {
  @Override
  protected Transport transport(GateFixture fixture) {
    return new HttpTransport(fixture.app);
  }
}
