package dev.floe.source.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GeneratedColumnsTest {
  @Test
  void aNameBecomesARegexMatchingOnlyItself() {
    for (String name : new String[] {"total", "Line Total", "a.b", "price$", "x+y(1)", "ключ"}) {
      Pattern pattern = Pattern.compile(GeneratedColumns.literal(name));
      assertTrue(pattern.matcher(name).matches(), name);
    }
    assertFalse(Pattern.compile(GeneratedColumns.literal("a.b")).matcher("axb").matches());
  }

  @Test
  void aCommaWhichDebeziumWouldSplitOnMatchesAsAnyCharacter() {
    String regex = GeneratedColumns.literal("a,b");
    assertFalse(regex.contains(","), regex);
    assertTrue(Pattern.compile(regex).matcher("a,b").matches());
  }
}
