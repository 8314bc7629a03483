package io.dvo.gate.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration of the wire contract: snake_case, ISO-8601 instants, strict input. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private Json() {}

  /** Shared, thread-safe mapper. Callers must not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A mapper that ignores unknown properties: for clients reading a newer server's answers. */
  public static ObjectMapper lenientMapper() {
    return LenientHolder.LENIENT;
  }

  private static final class LenientHolder {
    static final ObjectMapper LENIENT =
        MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
