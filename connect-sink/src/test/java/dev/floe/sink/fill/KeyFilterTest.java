package dev.floe.sink.fill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The filter never keeps a wanted key out, and many numeric keys become their range. */
class KeyFilterTest {
  private static final Schema KEY =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private static Record key(long id) {
    Record key = GenericRecord.create(KEY);
    key.setField("id", id);
    return key;
  }

  @Test
  void manyNumericKeysBecomeTheRangeFromTheSmallestToTheLargest() {
    List<Record> keys = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < KeyFilter.MAX_IN_LIST * 3; i++) {
      keys.add(key(1_000 + random.nextInt(1_000_000)));
    }
    keys.add(key(17)); // the smallest and the largest anywhere in the list
    keys.add(key(5_000_000));
    Collections.shuffle(keys, random);
    Expression filter = KeyFilter.of(KEY, keys);
    Evaluator evaluator = new Evaluator(KEY.asStruct(), filter);
    for (Record key : keys) {
      assertTrue(evaluator.eval(key), "kept " + key);
    }
    assertFalse(evaluator.eval(key(16)), filter.toString());
    assertFalse(evaluator.eval(key(5_000_001)), filter.toString());
    assertTrue(evaluator.eval(key(999))); // a range lets other rows through; the reader matches
  }

  @Test
  void fewKeysBecomeAnInList() {
    Expression filter = KeyFilter.of(KEY, List.of(key(3), key(9), key(3)));
    Evaluator evaluator = new Evaluator(KEY.asStruct(), filter);
    assertTrue(evaluator.eval(key(3)));
    assertTrue(evaluator.eval(key(9)));
    assertFalse(evaluator.eval(key(5)));
    assertEquals(Expression.Operation.IN, filter.op());
  }

  @Test
  void aCompositeKeyNarrowsEachColumnItsOwnWay() {
    Schema composite =
        new Schema(
            Types.NestedField.required(1, "tenant", Types.StringType.get()),
            Types.NestedField.required(2, "id", Types.IntegerType.get()));
    List<Record> keys = new ArrayList<>();
    for (int i = 0; i < KeyFilter.MAX_IN_LIST * 2; i++) {
      Record key = GenericRecord.create(composite);
      key.setField("tenant", "t" + (i % 1_500)); // 1,500 strings: an IN list, strings have no range
      key.setField("id", 100 + i); // 2,000 ints: their range
      keys.add(key);
    }
    Expression filter = KeyFilter.of(composite, keys);
    Evaluator evaluator = new Evaluator(composite.asStruct(), filter);
    for (Record key : keys) {
      assertTrue(evaluator.eval(key), "kept " + key);
    }
    Record outsideRange = keys.get(0).copy();
    outsideRange.setField("id", 99);
    assertFalse(evaluator.eval(outsideRange), filter.toString());
    Record otherTenant = keys.get(0).copy();
    otherTenant.setField("tenant", "t1500");
    assertFalse(evaluator.eval(otherTenant), filter.toString());
  }

  @Test
  void aColumnWithoutLiteralsDoesNotNarrow() {
    Schema timeKey = new Schema(Types.NestedField.required(1, "at", Types.TimeType.get()));
    Record key = GenericRecord.create(timeKey);
    key.setField("at", java.time.LocalTime.NOON);
    assertEquals(Expression.Operation.TRUE, KeyFilter.of(timeKey, List.of(key)).op());
  }
}
