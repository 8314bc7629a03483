package io.dvo.gate.server;

import java.time.Duration;

/**
 * How the local server runs.
 *
 * @param host interface to bind; loopback by default, because outside development the server trusts
 *     X-MS-CLIENT-PRINCIPAL and must sit behind an authenticating proxy
 * @param maxThreads bound of the request thread pool (long-polls hold a thread each)
 * @param acceptQueue connections the OS holds while every thread is busy
 * @param idleTimeout a connection idle this long (slow or stalled client) is closed
 * @param stopTimeout how long a graceful stop waits for in-flight requests
 */
public record ServerOptions(
    String host,
    int port,
    int minThreads,
    int maxThreads,
    int acceptQueue,
    Duration idleTimeout,
    Duration stopTimeout) {
  public static ServerOptions defaults(String host, int port) {
    return new ServerOptions(
        host, port, 8, 200, 2000, Duration.ofSeconds(30), Duration.ofSeconds(30));
  }
}
