package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A batch counts as delivered only when the receiver read all of it and closed: against JDK server
 * sockets that read everything, die with the batch unread, or never close.
 */
class SyslogTcpClientTest {
  private static final byte[] BATCH = "5 hello5 world".getBytes(StandardCharsets.US_ASCII);

  private static SyslogTcpClient client(ServerSocket server) {
    return new SyslogTcpClient(
        "127.0.0.1", server.getLocalPort(), null, Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  private static ServerSocket server() throws IOException {
    return new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
  }

  @Test
  void aReceiverThatReadsToTheEndAndClosesConfirms() throws Exception {
    try (ServerSocket server = server()) {
      CompletableFuture<byte[]> read =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket socket = server.accept();
                    InputStream in = socket.getInputStream()) {
                  return in.readAllBytes();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      client(server).sendConfirmed(BATCH);
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(BATCH);
    }
  }

  @Test
  void aReceiverThatDiesWithTheBatchUnreadDoesNotConfirm() throws Exception {
    try (ServerSocket server = server()) {
      CompletableFuture<Void> die =
          CompletableFuture.runAsync(
              () -> {
                try (Socket socket = server.accept()) {
                  // Wait until the batch is in the receive buffer, then die without reading it:
                  // the kernel answers with a reset, as for a SIEM killed mid-batch.
                  while (socket.getInputStream().available() < BATCH.length) {
                    Thread.sleep(5);
                  }
                  socket.setSoLinger(true, 0);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThatThrownBy(() -> client(server).sendConfirmed(BATCH)).isInstanceOf(IOException.class);
      die.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReceiverThatNeverClosesDoesNotConfirm() throws Exception {
    try (ServerSocket server = server()) {
      CompletableFuture<Socket> hold =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return server.accept();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThatThrownBy(() -> client(server).sendConfirmed(BATCH))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not close");
      hold.get(10, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void aReceiverThatStopsReadingDoesNotHoldTheSenderForever() throws Exception {
    // Accepts, never reads: once the socket buffers are full a write blocks, and socket timeouts
    // cover reads only. The batch must still end, unconfirmed, so the forwarder retries.
    byte[] big = new byte[32 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'x');
    try (ServerSocket server = server()) {
      CompletableFuture<Socket> hold =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return server.accept();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      CompletableFuture<Throwable> sent =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  client(server).sendConfirmed(big);
                  return null;
                } catch (IOException e) {
                  return e;
                }
              });
      // Liveness, not speed: the client's limits are 5 s to connect and 2 s to confirm.
      Throwable failure = sent.get(60, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(IOException.class);
      assertThat(failure.getMessage()).contains("stopped reading");
      hold.get(10, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void nobodyListeningDoesNotConfirm() throws Exception {
    ServerSocket closed = server();
    closed.close();
    assertThatThrownBy(() -> client(closed).sendConfirmed(BATCH)).isInstanceOf(IOException.class);
  }
}
