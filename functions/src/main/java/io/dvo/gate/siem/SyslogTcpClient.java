package io.dvo.gate.siem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends batches of framed syslog messages over TCP (or TLS) and learns whether the receiver read
 * them. Plain syslog over TCP has no acknowledgement, so each batch gets its own connection: the
 * client writes the batch in one piece, half-closes its side, and counts the batch delivered only
 * when the receiver closes its side in turn, which a syslog receiver does after it has read
 * everything before the end of the stream. A reset, a timeout or any error means "not confirmed":
 * the caller keeps the batch and sends it again. A receiver that stops reading would block the
 * write for ever (socket timeouts cover reads only), so each batch also has a deadline, after which
 * its socket is closed and the batch is not confirmed.
 */
final class SyslogTcpClient {
  private final String host;
  private final int port;
  private final SSLContext tls;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;

  /** Closes the sockets of batches past their deadline (one daemon thread for every client). */
  private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "dvo-siem-batch-deadline");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param tls the TLS context, or null for plain TCP
   */
  SyslogTcpClient(
      String host, int port, SSLContext tls, Duration connectTimeout, Duration readTimeout) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
  }

  /** Sends {@code frames} and returns once the receiver confirmed reading them; else throws. */
  void sendConfirmed(byte[] frames) throws IOException {
    Socket plain = new Socket();
    // Connecting, then writing (as long again as the confirmation may take), then confirming.
    java.util.concurrent.atomic.AtomicBoolean expired =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ScheduledFuture<?> deadline =
        DEADLINES.schedule(
            () -> {
              expired.set(true);
              try {
                plain.close();
              } catch (IOException ignored) {
                // closing is all that is wanted; the sending thread sees the failure
              }
            },
            (long) connectTimeoutMillis + 2L * readTimeoutMillis,
            java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      send(plain, frames);
    } catch (IOException e) {
      if (expired.get()) {
        throw new IOException("the receiver stopped reading the batch before its deadline", e);
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  private void send(Socket plain, byte[] frames) throws IOException {
    try (Socket socket = plain) {
      plain.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      plain.setSoTimeout(readTimeoutMillis);
      plain.setTcpNoDelay(true);
      Socket stream = plain;
      if (tls != null) {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        // The receiver's certificate must name the configured host (DNS name or IP address).
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        stream = secure;
      }
      try (Socket used = stream) {
        OutputStream out = used.getOutputStream();
        out.write(frames);
        out.flush();
        used.shutdownOutput();
        awaitClose(used.getInputStream());
      }
    }
  }

  private static void awaitClose(InputStream in) throws IOException {
    byte[] ignored = new byte[512];
    try {
      while (in.read(ignored) >= 0) {
        // a syslog receiver sends nothing; read on until it closes
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("the receiver did not close the connection after the batch", e);
    }
  }

  /**
   * A TLS context that trusts the certificates in {@code caFile} (PEM, one or more), or the JDK's
   * default trust store when {@code caFile} is null.
   */
  static SSLContext tlsContext(Path caFile) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      if (caFile == null) {
        context.init(null, null, null);
        return context;
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int count = 0;
      try (InputStream in = Files.newInputStream(caFile)) {
        for (Certificate certificate :
            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trusted.setCertificateEntry("ca-" + count++, certificate);
        }
      }
      if (count == 0) {
        throw new IOException("no certificate in " + caFile);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the CA certificates in " + caFile + ": " + e.getMessage(), e);
    }
  }
}
