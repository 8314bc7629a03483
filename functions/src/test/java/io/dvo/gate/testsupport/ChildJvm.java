package io.dvo.gate.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test class's {@code main} in a JVM of its own, on this test run's class path, for tests that
 * kill a writer with SIGKILL. The child's stderr is appended to a file, so that a failing test can
 * say why its child stopped.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main}'s main method with {@code args}; its stderr goes to {@code errors}. */
  public static Process start(Class<?> main, Path errors, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
        .start();
  }

  /** What the children wrote to {@code errors}, or "(none)". */
  public static String errors(Path errors) {
    try {
      return Files.readString(errors);
    } catch (IOException e) {
      return "(none)";
    }
  }
}
