package io.dvo.gate.server;

import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.TrustScenarios;

/** The trust scenarios through the local server over real HTTP. */
class LocalServerTrustScenariosTest extends TrustScenarios {
  @Override
  protected Transport transport(GateFixture fixture) {
    return new HttpTransport(fixture.app);
  }
}
