package io.dvo.gate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Log lines to standard error from one writer thread, in the order they were logged, several lines
 * a {@code write}. A request thread only queues its event (no lock, and no wake-up while the writer
 * is busy); the writer, once woken, writes what is queued in one piece and looks again every {@link
 * #LINGER_NANOS}, so under load it wakes a few hundred times a second instead of once a line, and
 * when nothing comes it sleeps until a line arrives. Nothing is discarded: when {@link #queueSize}
 * lines wait, logging waits. Stopping (and the JVM's exit) writes what is still queued.
 *
 * <p>Replaces logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}, which woke its
 * thread and wrote (and flushed) once for every line.
 */
public final class BatchingStderrAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** How long the writer waits for more lines after a write, while lines keep coming. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** Empty looks in a row after which the writer sleeps until woken. */
  private static final int IDLE_LOOKS = 3;

  private final Supplier<PrintStream> target;
  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private volatile boolean sleeping;
  private volatile boolean stopping;
  private Thread writer;
  private Thread exitHook;

  public BatchingStderrAppender() {
    this(() -> System.err);
  }

  /**
   * With another target (tests); the supplier is asked at every write, as System.err may change.
   */
  BatchingStderrAppender(Supplier<PrintStream> target) {
    this.target = target;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for appender " + name);
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1");
      return;
    }
    stopping = false;
    writer = new Thread(this::writeLoop, "log-writer-" + name);
    writer.setDaemon(true);
    writer.start();
    exitHook = new Thread(this::stop, "log-writer-exit-" + name);
    try {
      Runtime.getRuntime().addShutdownHook(exitHook);
    } catch (IllegalStateException e) {
      exitHook = null; // already exiting
    }
    super.start();
  }

  @Override
  public void stop() {
    Thread running;
    synchronized (this) {
      if (!isStarted()) {
        return;
      }
      super.stop();
      stopping = true;
      running = writer;
    }
    LockSupport.unpark(running);
    try {
      running.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeQueued(); // whatever the writer left (it normally leaves nothing)
    if (exitHook != null && Thread.currentThread() != exitHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs anyway and finds nothing left
      }
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    boolean interrupted = false;
    while (queued.get() >= queueSize && !stopping) {
      if (sleeping) {
        LockSupport.unpark(writer);
      }
      LockSupport.parkNanos(LINGER_NANOS / 4);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    queued.incrementAndGet();
    queue.add(event);
    if (stopping) {
      writeQueued(); // the writer may be gone: write it here rather than lose it
    } else if (sleeping) {
      LockSupport.unpark(writer);
    }
  }

  private void writeLoop() {
    int idle = 0;
    while (true) {
      if (writeQueued() > 0) {
        idle = 0;
      } else if (stopping) {
        return;
      } else if (++idle >= IDLE_LOOKS) {
        sleeping = true;
        // A line queued before this flag was visible is seen here; one queued after wakes us.
        if (queue.isEmpty() && !stopping) {
          LockSupport.park(this);
        }
        sleeping = false;
        idle = 0;
        continue;
      }
      LockSupport.parkNanos(this, LINGER_NANOS);
    }
  }

  /** Writes everything queued in one piece; returns how many lines. */
  private synchronized int writeQueued() {
    ByteArrayOutputStream batch = null;
    int lines = 0;
    ILoggingEvent event;
    while ((event = queue.poll()) != null) {
      queued.decrementAndGet();
      if (batch == null) {
        batch = new ByteArrayOutputStream(512);
      }
      try {
        batch.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        addError("a log line could not be encoded", e);
      }
      lines++;
    }
    if (batch != null && batch.size() > 0) {
      PrintStream out = target.get();
      try {
        batch.writeTo(out);
      } catch (java.io.IOException e) {
        addError("log lines could not be written", e); // PrintStream does not throw; others may
      }
      out.flush();
    }
    return lines;
  }
}
