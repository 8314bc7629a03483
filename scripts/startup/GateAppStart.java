import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import java.time.Clock;
import java.util.Map;

/**
 * The Functions app's first-request initialisation: {@code GateApp} construction from settings
 * (open the SQLite store, load and compile the pack, wire the API), timed in a fresh JVM. Run by
 * scripts/start-times with the server jar on the class path.
 */
public class GateAppStart {
  public static void main(String[] args) throws Exception {
    long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_DATA_FILE", args[0],
                "DVO_POLICY_DIR", args[1],
                "DVO_PUBLIC_BASE_URL", "https://gate.example.net",
                "DVO_CSRF_SECRET", "startup-measurement-secret-0123456789abcdef"));
    long start = System.nanoTime();
    try (GateApp app = GateApp.fromSettings(settings, Clock.systemUTC())) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println(
          "gateapp_construction_ms="
              + millis
              + " since_jvm_start_ms="
              + (System.currentTimeMillis() - jvmStart)
              + " (the source launcher's compile included)");
    }
  }
}
