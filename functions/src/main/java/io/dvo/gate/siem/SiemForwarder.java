package io.dvo.gate.siem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards already formatted events to a SIEM as RFC 5424 syslog over TCP (or TLS), through a
 * durable {@link SiemOutbox}.
 *
 * <p>{@link #publish} only queues (a local SQLite insert): it never waits for the network, so a
 * SIEM outage never holds up a decision. One background thread sends the queue in order, in
 * batches, each confirmed by the receiver ({@link SyslogTcpClient}); a batch leaves the outbox only
 * once confirmed, and one that is not is sent again, whole, after a growing wait. So during an
 * outage events wait on disk, and afterwards they go out in the order they were published.
 *
 * <p>Call {@link #publish} in chain order per tenant (the audit trail's listener is called after
 * each event is durable, in sequence order): the forwarder keeps the order it is given.
 */
public final class SiemForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SiemForwarder.class);

  private final SiemSettings settings;
  private final SiemOutbox outbox;
  private final SyslogMessage format;
  private final SyslogTcpClient client;
  private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
  private final Thread sender;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final Object dropLock = new Object();
  private long dropStreak;
  private volatile boolean closed;

  private SiemForwarder(SiemSettings settings, SiemOutbox outbox, SSLContext tls, String hostname) {
    this.settings = settings;
    this.outbox = outbox;
    this.format = new SyslogMessage(hostname);
    this.client =
        new SyslogTcpClient(
            settings.host(),
            settings.port(),
            tls,
            settings.connectTimeout(),
            settings.confirmTimeout());
    this.sender = new Thread(this::run, "dvo-siem-forwarder");
    this.sender.setDaemon(true);
  }

  /**
   * Opens the outbox and starts sending (whatever an earlier run left queued goes first).
   *
   * @throws IOException when the outbox cannot be opened or the CA file read
   */
  public static SiemForwarder start(SiemSettings settings) throws IOException {
    SSLContext tls = settings.tls() ? SyslogTcpClient.tlsContext(settings.caFile()) : null;
    SiemOutbox outbox = SiemOutbox.open(settings.outboxFile(), settings.outboxMaxEvents());
    SiemForwarder forwarder = new SiemForwarder(settings, outbox, tls, localHostname());
    forwarder.sender.start();
    if (outbox.size() > 0) {
      LOG.info(
          "SIEM outbox holds {} events from an earlier run; sending them first", outbox.size());
    }
    return forwarder;
  }

  /**
   * Queues one event for the SIEM; returns at once.
   *
   * @return QUEUED, DUPLICATE (already queued) or DROPPED (outbox full, policy drop)
   * @throws SiemOutboxFullException when the outbox is full or cannot be written and the policy is
   *     refuse
   */
  public SiemOutbox.Offer publish(SiemEvent event) {
    SiemOutbox.Offer offer;
    String problem;
    try {
      offer = outbox.offer(event);
      problem =
          offer == SiemOutbox.Offer.DROPPED ? "full (" + outbox.capacity() + " events)" : null;
    } catch (IOException e) {
      offer = SiemOutbox.Offer.DROPPED;
      problem = "not writable (" + e.getMessage() + ")";
    }
    if (problem != null) {
      if (settings.whenFull() == SiemSettings.WhenFull.REFUSE) {
        throw new SiemOutboxFullException(
            "The SIEM outbox is " + problem + "; the event was not queued for the SIEM.");
      }
      dropped(event, problem);
      return SiemOutbox.Offer.DROPPED;
    }
    endDropStreak();
    wakeUp.offer(Boolean.TRUE);
    return offer;
  }

  private void dropped(SiemEvent event, String problem) {
    dropped.incrementAndGet();
    synchronized (dropLock) {
      if (dropStreak++ == 0) {
        LOG.warn(
            "SIEM outbox {}: dropping events, the first tenant={} seq={}; the audit trail keeps"
                + " them (export the range to the SIEM)",
            problem,
            event.tenant(),
            event.sequence());
      }
    }
  }

  private void endDropStreak() {
    synchronized (dropLock) {
      if (dropStreak > 0) {
        LOG.warn("SIEM outbox accepts events again, after dropping {}", dropStreak);
        dropStreak = 0;
      }
    }
  }

  /** Events waiting in the outbox. */
  public long queued() {
    return outbox.size();
  }

  /** Events confirmed by the SIEM since start. */
  public long sent() {
    return sent.get();
  }

  /** Events dropped since start (outbox full, policy drop). */
  public long dropped() {
    return dropped.get();
  }

  /** Batches that were not confirmed (and were or will be sent again) since start. */
  public long failedBatches() {
    return failedBatches.get();
  }

  public SiemSettings settings() {
    return settings;
  }

  private void run() {
    long waitMillis = 0;
    boolean failing = false;
    while (!closed) {
      try {
        if (waitMillis > 0) {
          Thread.sleep(waitMillis);
        }
        List<SiemOutbox.Queued> batch =
            outbox.head(settings.batchMaxEvents(), settings.batchMaxBytes());
        if (batch.isEmpty()) {
          wakeUp.poll(1, TimeUnit.SECONDS);
          waitMillis = 0;
          continue;
        }
        client.sendConfirmed(frames(batch));
        outbox.removeThrough(batch.get(batch.size() - 1).id());
        sent.addAndGet(batch.size());
        if (failing) {
          LOG.info(
              "SIEM at {} confirms batches again; {} events still queued",
              settings.address(),
              outbox.size());
          failing = false;
        }
        waitMillis = 0;
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        failedBatches.incrementAndGet();
        if (!failing) {
          LOG.warn(
              "SIEM at {} did not confirm a batch ({}); {} events queued, retrying",
              settings.address(),
              describe(e),
              outbox.size());
          failing = true;
        }
        waitMillis =
            waitMillis == 0
                ? settings.retryMin().toMillis()
                : Math.min(waitMillis * 2, settings.retryMax().toMillis());
      }
    }
  }

  private byte[] frames(List<SiemOutbox.Queued> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 512);
    for (SiemOutbox.Queued queued : batch) {
      out.writeBytes(format.frame(queued.event()));
    }
    return out.toByteArray();
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  /** Stops sending (what is queued stays in the outbox for the next start) and closes it. */
  @Override
  public void close() {
    closed = true;
    sender.interrupt();
    try {
      sender.join(settings.connectTimeout().plus(settings.confirmTimeout()).toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    outbox.close();
  }
}
