package io.dvo.gate.policy;

/** What a context field holds. Caller attributes are {@link #ANY}: only known at evaluation. */
enum FieldType {
  STRING,
  NUMBER,
  BOOLEAN,
  STRING_LIST,
  ANY
}
