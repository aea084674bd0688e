package dev.floe.sink.index;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;

/**
 * The data files of the rows {@link NumberKeyRows} knows, each by a small number its places hold,
 * with how many places use it: a file no place uses any more is let go, and its number reused.
 */
final class RowFiles {
  private final int maxFiles;
  private final List<DataFile> byNumber = new ArrayList<>();
  private int[] uses = new int[16];
  private final Map<String, Integer> numbers = new HashMap<>();
  private final ArrayDeque<Integer> free = new ArrayDeque<>();
  // a flush's rows share their file objects: its location is hashed once, not once a row (a
  // location is built anew on each call, and its hash with it: 15% of a flush of inserts)
  private DataFile lastFile;
  private int lastNumber;

  RowFiles(int maxFiles) {
    this.maxFiles = maxFiles;
  }

  /** The number of {@code file}, given one if it has none; -1 when all numbers are in use. */
  int numberOf(DataFile file) {
    if (file == lastFile && byNumber.get(lastNumber) != null) {
      return lastNumber;
    }
    Integer known = numbers.get(file.location());
    if (known != null) {
      lastFile = file;
      lastNumber = known;
      return known;
    }
    int number;
    if (!free.isEmpty()) {
      number = free.pop();
      byNumber.set(number, file.copyWithoutStats()); // its location, spec and partition
    } else if (byNumber.size() < maxFiles) {
      number = byNumber.size();
      byNumber.add(file.copyWithoutStats());
      if (number == uses.length) {
        uses = Arrays.copyOf(uses, 2 * uses.length);
      }
    } else {
      return -1;
    }
    uses[number] = 0;
    numbers.put(file.location(), number);
    lastFile = file;
    lastNumber = number;
    return number;
  }

  DataFile file(int number) {
    return byNumber.get(number);
  }

  /** A place now uses file {@code number}. */
  void taken(int number) {
    uses[number]++;
  }

  /** A place no longer uses file {@code number}. */
  void released(int number) {
    if (--uses[number] == 0) {
      letGo(number);
    }
  }

  /** The numbers of those of {@code locations} that have one. */
  Set<Integer> numbersOf(Collection<String> locations) {
    Set<Integer> known = new HashSet<>();
    for (String location : locations) {
      Integer number = numbers.get(location);
      if (number != null) {
        known.add(number);
      }
    }
    return known;
  }

  /** These files are gone, and no place uses them any more. */
  void free(Set<Integer> gone) {
    gone.forEach(this::letGo);
  }

  void clear() {
    lastFile = null;
    byNumber.clear();
    numbers.clear();
    free.clear();
  }

  private void letGo(int number) {
    if (number == lastNumber) {
      lastFile = null;
    }
    numbers.remove(byNumber.get(number).location());
    byNumber.set(number, null);
    uses[number] = 0;
    free.push(number);
  }
}
