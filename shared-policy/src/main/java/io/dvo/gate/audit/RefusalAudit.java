package io.dvo.gate.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records refusals that anyone can cause (authentication failures, review sign-in refusals) without
 * letting one client flood the trail: per event type and client address, at most {@link #perMinute}
 * events a minute are recorded one by one; the rest are counted, and once the minute is over one
 * summary event (outcome {@code suppressed}, {@code details.suppressed} = the count) goes to the
 * {@link #SYSTEM_TENANT}'s trail. The summary is written with the address's next refusal or by
 * {@link #flush} (the periodic sweep), whichever comes first. At most {@link #maxAddresses}
 * addresses are tracked at once; past that, every new address shares one bucket (address {@code
 * null}), so a client rotating addresses is bounded too. The bound is per process.
 */
public final class RefusalAudit {
  /** The trail of events that name no usable tenant, and of the summaries. Reserved. */
  public static final String SYSTEM_TENANT = "_gate";

  public static final int DEFAULT_PER_MINUTE = 20;
  public static final int DEFAULT_MAX_ADDRESSES = 10_000;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final AuditTrail trail;
  private final Clock clock;
  private final int perMinute;
  private final int maxAddresses;
  private final Map<Key, Window> windows = new HashMap<>();

  private record Key(AuditEventType type, String address) {}

  private static final class Window {
    final Instant start;
    int recorded;
    long suppressed;
    String lastTenant;

    Window(Instant start) {
      this.start = start;
    }
  }

  public RefusalAudit(AuditTrail trail, Clock clock) {
    this(trail, clock, DEFAULT_PER_MINUTE, DEFAULT_MAX_ADDRESSES);
  }

  public RefusalAudit(AuditTrail trail, Clock clock, int perMinute, int maxAddresses) {
    this.trail = Objects.requireNonNull(trail, "trail");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (perMinute < 1 || maxAddresses < 1) {
      throw new IllegalArgumentException("perMinute and maxAddresses must be at least 1");
    }
    this.perMinute = perMinute;
    this.maxAddresses = maxAddresses;
  }

  public AuditTrail trail() {
    return trail;
  }

  /**
   * Records {@code draft} (its type and client address pick the bucket) unless the bucket is full
   * this minute; answers whether it was recorded one by one. Throws what the store throws.
   */
  public boolean record(AuditDraft draft) {
    Instant now = clock.instant();
    List<AuditDraft> summaries = new ArrayList<>();
    boolean recordIt;
    synchronized (this) {
      Key key = keyFor(draft.type(), draft.clientAddress());
      Window window = windows.get(key);
      if (window != null && !now.isBefore(window.start.plus(WINDOW))) {
        windows.remove(key);
        if (window.suppressed > 0) {
          summaries.add(summary(key, window));
        }
        window = null;
      }
      if (window == null) {
        window = new Window(now);
        windows.put(key, window);
      }
      recordIt = window.recorded < perMinute;
      if (recordIt) {
        window.recorded++;
      } else {
        window.suppressed++;
        window.lastTenant = draft.tenantId();
      }
    }
    for (AuditDraft summary : summaries) {
      trail.record(summary);
    }
    if (recordIt) {
      trail.record(draft);
    }
    return recordIt;
  }

  /** Writes the summaries of every minute that has ended; answers how many. */
  public int flush() {
    Instant now = clock.instant();
    List<AuditDraft> summaries = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<Key, Window>> entries = windows.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<Key, Window> entry = entries.next();
        Window window = entry.getValue();
        if (!now.isBefore(window.start.plus(WINDOW))) {
          entries.remove();
          if (window.suppressed > 0) {
            summaries.add(summary(entry.getKey(), window));
          }
        }
      }
    }
    for (AuditDraft summary : summaries) {
      trail.record(summary);
    }
    return summaries.size();
  }

  private Key keyFor(AuditEventType type, String address) {
    Key key = new Key(type, address);
    if (windows.containsKey(key) || windows.size() < maxAddresses) {
      return key;
    }
    return new Key(type, null); // the shared bucket of addresses past the bound
  }

  private AuditDraft summary(Key key, Window window) {
    return trail
        .event(SYSTEM_TENANT, key.type())
        .severity(6)
        .outcome("suppressed")
        .clientAddress(key.address())
        .reasons(
            List.of(
                new AuditReason(
                    "suppressed",
                    window.suppressed
                        + " more refusals of this type from "
                        + (key.address() == null
                            ? "addresses past the tracking bound"
                            : "this address")
                        + " in the minute from "
                        + window.start
                        + " were counted, not recorded one by one (at most "
                        + perMinute
                        + " a minute)")))
        .detail("suppressed", window.suppressed)
        .detail("window_start", window.start)
        .detail("window_end", window.start.plus(WINDOW))
        .detail("last_tenant", window.lastTenant)
        .build();
  }
}
