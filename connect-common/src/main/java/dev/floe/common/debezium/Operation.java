package dev.floe.common.debezium;

/** Debezium's {@code op} codes, with what each one means for a table keyed by primary key. */
public enum Operation {
  CREATE("c"),
  READ("r"),
  UPDATE("u"),
  DELETE("d"),
  TRUNCATE("t"),
  MESSAGE("m");

  private final String code;

  Operation(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The operation for a Debezium {@code op} code; throws for codes Debezium does not emit. */
  public static Operation fromCode(String code) {
    for (Operation op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException("Unknown Debezium op code '" + code + "'");
  }
}
