package io.dvo.gate.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version this build of the gate was made from (Maven's project.version), for the server and
 * the client.
 */
public final class GateVersion {
  private static final String CURRENT = read();

  private GateVersion() {}

  public static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = GateVersion.class.getResourceAsStream("gate-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
