package io.dvo.gate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The batching appender loses nothing and keeps order: lines of many threads, bursts far past the
 * queue's size (logging waits), lines logged after a quiet spell (the writer wakes), and what is
 * queued when it stops; each line stays one JSON object. Also that the shipped logback.xml uses it.
 */
class BatchingStderrAppenderTest {

  /** Counts every write, so a batch of several lines in one write is visible. */
  private static final class Target extends PrintStream {
    final AtomicInteger writes = new AtomicInteger();

    Target(ByteArrayOutputStream bytes) {
      super(bytes, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      writes.incrementAndGet();
      super.write(buf, off, len);
    }
  }

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Target target = new Target(bytes);

  private BatchingStderrAppender started(int queueSize) {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    BatchingStderrAppender appender = new BatchingStderrAppender(() -> target);
    appender.setContext(context);
    appender.setName("test");
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.start();
    assertThat(appender.isStarted()).isTrue();
    return appender;
  }

  private static LoggingEvent event(Logger logger, String message) {
    return new LoggingEvent("fqcn", logger, Level.INFO, message, null, null);
  }

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        out.add(Json.mapper().readTree(line));
      }
    }
    return out;
  }

  @Test
  void everyLineOfEveryThreadArrivesOnceInEachThreadsOrderPastAFullQueue() throws Exception {
    BatchingStderrAppender appender = started(16); // far fewer than the lines: logging waits
    Logger logger = context.getLogger("io.dvo.gate.access");
    int threads = 4;
    int each = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  appender.doAppend(event(logger, id + ":" + i));
                }
              });
      thread.start();
      running.add(thread);
    }
    go.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    appender.stop();

    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(threads * each);
    int[] next = new int[threads];
    for (JsonNode line : lines) {
      assertThat(line.path("logger").asText()).isEqualTo("io.dvo.gate.access");
      String[] parts = line.path("message").asText().split(":");
      int thread = Integer.parseInt(parts[0]);
      assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]);
      next[thread]++;
    }
    assertThat(next).containsOnly(each);
    // Lines were written several at a time, not one write each.
    assertThat(target.writes.get()).isLessThan(threads * each);
  }

  @Test
  void aLineAfterAQuietSpellIsWrittenWithoutWaitingForAnother() throws Exception {
    BatchingStderrAppender appender = started(8192);
    Logger logger = context.getLogger("quiet");
    appender.doAppend(event(logger, "first"));
    Thread.sleep(200); // the writer has gone to sleep
    appender.doAppend(event(logger, "second"));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (lines().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(lines())
        .extracting(l -> l.path("message").asText())
        .containsExactly("first", "second");
    appender.stop();
  }

  @Test
  void stoppingWritesWhatIsStillQueuedAndLaterLinesAreNotLost() throws Exception {
    BatchingStderrAppender appender = started(8192);
    Logger logger = context.getLogger("stop");
    for (int i = 0; i < 500; i++) {
      appender.doAppend(event(logger, "line " + i));
    }
    appender.stop();
    assertThat(lines()).hasSize(500);
    assertThat(lines().get(499).path("message").asText()).isEqualTo("line 499");
  }

  @Test
  void theShippedConfigurationWritesThroughIt() throws Exception {
    LoggerContext shipped = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(shipped);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    Appender<?> root = shipped.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("async");
    assertThat(root).isInstanceOf(BatchingStderrAppender.class);
    assertThat(root.isStarted()).isTrue();
    shipped.stop();
    assertThat(root.isStarted()).isFalse();
  }
}
