package io.dvo.gate.server;

import java.time.Duration;

/**
 * How the local server runs.
 *
 * @param host interface to bind; loopback by default, because outside development the server trusts
 *     X-MS-CLIENT-PRINCIPAL and must sit behind an authenticating proxy
 * @param maxThreads workers for handlers that may block (store calls); long polls hold none while
 *     they wait, and health never needs one
 * @param acceptQueue connections the OS holds while Jetty is busy accepting, and the requests
 *     queued for a worker while every worker is busy (past it: 503)
 * @param idleTimeout a connection idle this long (slow or stalled client) is closed
 * @param stopTimeout how long a graceful stop waits for in-flight requests
 */
public record ServerOptions(
    String host,
    int port,
    int maxThreads,
    int acceptQueue,
    Duration idleTimeout,
    Duration stopTimeout) {
  public static ServerOptions defaults(String host, int port) {
    return new ServerOptions(host, port, 200, 2000, Duration.ofSeconds(30), Duration.ofSeconds(30));
  }
}
