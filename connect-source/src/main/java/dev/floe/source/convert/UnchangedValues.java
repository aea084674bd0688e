package dev.floe.source.convert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The connector's {@code unavailable.value.placeholder} in the forms Debezium gives it: as text
 * (text columns), a one-element text list (text arrays) and a list of its bytes as numbers
 * (integer, date, timestamp and time arrays), in the arrays' element type. Read as Debezium reads
 * the setting: text, or {@code hex:} bytes.
 */
final class UnchangedValues {
  static final String DEBEZIUM_DEFAULT = "__debezium_unavailable_value";

  private final String text;
  private final List<Integer> bytes;

  private UnchangedValues(byte[] placeholder) {
    this.text = new String(placeholder, StandardCharsets.UTF_8);
    List<Integer> numbers = new ArrayList<>(placeholder.length);
    for (byte b : placeholder) {
      numbers.add((int) b);
    }
    this.bytes = List.copyOf(numbers);
  }

  /** The forms of {@code setting}, or of Debezium's default when it is null. */
  static UnchangedValues of(String setting) {
    String value = setting == null || setting.isEmpty() ? DEBEZIUM_DEFAULT : setting;
    return new UnchangedValues(
        value.startsWith("hex:")
            ? HexFormat.of().parseHex(value.substring(4))
            : value.getBytes(StandardCharsets.UTF_8));
  }

  String text() {
    return text;
  }

  List<String> textList() {
    return List.of(text);
  }

  List<Integer> byteList() {
    return bytes;
  }

  /** The bytes as numbers of an INT16 array (smallint[]). */
  List<Short> shortList() {
    return bytes.stream().map(Integer::shortValue).toList();
  }

  /** The bytes as numbers of an INT64 array (timestamp[] and time[] in microseconds). */
  List<Long> longList() {
    return bytes.stream().map(Integer::longValue).toList();
  }
}
