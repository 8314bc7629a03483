package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.json.Json;
import io.dvo.gate.service.LinkBuilder;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeamsNotifierTest {
  private static final Clock CLOCK =
      Clock.fixed(ApprovalFixtures.CREATED.plusSeconds(30), ZoneOffset.UTC);
  private WebhookSink sink;
  private final BlockingQueue<NotificationDelivery> recorded = new LinkedBlockingQueue<>();
  private TeamsNotifier notifier;

  @BeforeEach
  void start() throws Exception {
    sink = new WebhookSink();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    sink.close();
  }

  private TeamsNotifier notifier(WebhookRoutes routes, DeliveryRecorder recorder) {
    WebhookPoster poster =
        new WebhookPoster(
            HttpClient.newHttpClient(),
            new RetryPolicy(
                3,
                Duration.ofMillis(20),
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5)),
            d -> Thread.sleep(d.toMillis()));
    notifier =
        new TeamsNotifier(
            routes,
            new TeamsCardBuilder(ZoneId.of("UTC")),
            poster,
            LinkBuilder.under("https://gate.acme.example/"),
            recorder,
            CLOCK);
    return notifier;
  }

  private WebhookRoutes defaultRoute() {
    return WebhookRoutes.parse(sink.url("/default").toString(), null);
  }

  private NotificationDelivery nextRecorded() throws InterruptedException {
    NotificationDelivery d = recorded.poll(10, TimeUnit.SECONDS);
    assertThat(d).as("a delivery state was recorded").isNotNull();
    return d;
  }

  @Test
  void requestIsPostedAsAValidCardAndItsDeliveryRecordedUnderTheChannelName() throws Exception {
    ApprovalRecord record = ApprovalFixtures.pending();
    notifier(
            defaultRoute(),
            (t, id, d) -> {
              assertThat(t).isEqualTo("acme");
              assertThat(id).isEqualTo("appr-1");
              recorded.add(d);
            })
        .notify(record, Kind.REQUESTED);

    WebhookSink.Received post = sink.next();
    JsonNode message = Json.mapper().readTree(post.body());
    assertThat(AdaptiveCard14Validator.validateEnvelope(message)).isEmpty();
    assertThat(message.at("/attachments/0/content/actions/0/url").asText())
        .isEqualTo("https://gate.acme.example/api/v1/approvals/acme/appr-1/review");

    NotificationDelivery delivery = nextRecorded();
    assertThat(delivery.channel()).isEqualTo("teams:default");
    assertThat(delivery.kind()).isEqualTo("requested");
    assertThat(delivery.state()).isEqualTo("delivered");
    assertThat(delivery.attempts()).isEqualTo(1);
    assertThat(delivery.at()).isEqualTo(CLOCK.instant());
  }

  @Test
  void failedDeliveryIsRecordedWithoutTheUrl() throws Exception {
    for (int i = 0; i < 3; i++) {
      sink.then(502);
    }
    try (LogCapture logs = new LogCapture()) {
      notifier(defaultRoute(), (t, id, d) -> recorded.add(d))
          .notify(ApprovalFixtures.pending(), Kind.REQUESTED);

      NotificationDelivery delivery = nextRecorded();
      assertThat(delivery.state()).isEqualTo("failed");
      assertThat(delivery.attempts()).isEqualTo(3);
      assertThat(delivery.error()).isEqualTo("HTTP 502");
      assertThat(delivery.toString()).doesNotContain("S3CRET").doesNotContain("127.0.0.1");
      assertThat(logs.text())
          .contains("teams:default")
          .doesNotContain("S3CRET")
          .doesNotContain("/default?");
    }
  }

  @Test
  void notifyReturnsAtOnceWhileTheWebhookIsSlow() throws Exception {
    sink.thenSlowly(202, 1500);
    TeamsNotifier slow = notifier(defaultRoute(), (t, id, d) -> recorded.add(d));

    long started = System.nanoTime();
    slow.notify(ApprovalFixtures.pending(), Kind.REQUESTED);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // Queuing only; the post itself takes 1.5 s. A generous bound keeps this robust on busy
    // machines.
    assertThat(tookMillis).isLessThan(500);
    assertThat(recorded.poll()).isNull();
    assertThat(nextRecorded().state()).isEqualTo("delivered");
  }

  @Test
  void aFailingRecorderNeverEscapes() throws Exception {
    notifier(
            defaultRoute(),
            (t, id, d) -> {
              recorded.add(d);
              throw new IllegalStateException("store down");
            })
        .notify(ApprovalFixtures.pending(), Kind.APPROVED);

    assertThat(nextRecorded().state()).isEqualTo("delivered");
    // The worker survives: a second notification is delivered too.
    notifier.notify(ApprovalFixtures.pending(), Kind.EXPIRED);
    assertThat(nextRecorded().kind()).isEqualTo("expired");
  }

  @Test
  void routingSendsEachApprovalToItsTenantAndEnvironmentWebhook() throws Exception {
    String routes =
        "{\"acme/prod\":\""
            + sink.url("/acme-prod")
            + "\",\"*/dev\":\""
            + sink.url("/any-dev")
            + "\"}";
    TeamsNotifier routed =
        notifier(WebhookRoutes.parse(null, routes), (t, id, d) -> recorded.add(d));

    routed.notify(ApprovalFixtures.pending("acme", "a1", "prod"), Kind.REQUESTED);
    assertThat(sink.next().path()).isEqualTo("/acme-prod");
    assertThat(nextRecorded().channel()).isEqualTo("teams:acme/prod");

    routed.notify(ApprovalFixtures.pending("globex", "g1", "dev"), Kind.REQUESTED);
    assertThat(sink.next().path()).isEqualTo("/any-dev");
    assertThat(nextRecorded().channel()).isEqualTo("teams:*/dev");

    routed.notify(ApprovalFixtures.pending("globex", "g2", "prod"), Kind.REQUESTED);
    Thread.sleep(200);
    assertThat(sink.drained()).isEmpty();
    assertThat(recorded).isEmpty();
  }

  @Test
  void settingsWithoutAWebhookMeanNoNotifier() {
    TeamsNotifier.Config none = new TeamsNotifier.Config(null, null, "https://gate.example", null);
    assertThat(TeamsNotifier.configured(none, (t, i, d) -> {}, CLOCK))
        .isSameAs(ApprovalNotifier.NONE);
  }

  @Test
  void settingsWithAWebhookNeedThePublicBaseUrl() {
    TeamsNotifier.Config noBase =
        new TeamsNotifier.Config("https://hooks.example/x?sig=SECRET9", null, null, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TeamsNotifier.configured(noBase, (t, i, d) -> {}, CLOCK))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("DVO_PUBLIC_BASE_URL")
        .hasMessageNotContaining("SECRET9");
    TeamsNotifier.Config ok =
        new TeamsNotifier.Config(
            "https://hooks.example/x?sig=SECRET9", null, "https://gate.example", null);
    ApprovalNotifier built = TeamsNotifier.configured(ok, (t, i, d) -> {}, CLOCK);
    assertThat(built).isInstanceOf(TeamsNotifier.class);
    ((TeamsNotifier) built).close();
  }
}
