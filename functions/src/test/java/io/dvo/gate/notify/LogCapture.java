package io.dvo.gate.notify;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every log line of the gate (java.util.logging under io.dvo.gate), formatted. */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("io.dvo.gate");
  private final StringBuffer lines = new StringBuffer();
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          lines.append(formatter.format(record));
          if (record.getThrown() != null) {
            lines.append(String.valueOf(record.getThrown())).append('\n');
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  LogCapture() {
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  String text() {
    return lines.toString();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
