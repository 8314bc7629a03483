package io.dvo.gate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder writing one JSON object a line: {@code time}, {@code level}, {@code logger},
 * {@code message}, then each SLF4J key-value pair as a member of its own (the access log's {@code
 * method}, {@code route}, {@code status}, ...), then {@code error} (the exception's type and
 * message, never a stack trace) when there is one. Used by logback.xml for the local server and the
 * CLI.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          json.writeFieldName(pair.key);
          if (pair.value == null) {
            json.writeNull();
          } else if (pair.value instanceof Integer || pair.value instanceof Long) {
            json.writeNumber(((Number) pair.value).longValue());
          } else if (pair.value instanceof Number number) {
            json.writeNumber(number.doubleValue());
          } else if (pair.value instanceof Boolean flag) {
            json.writeBoolean(flag);
          } else {
            json.writeString(pair.value.toString());
          }
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField(
            "error",
            error.getClassName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
