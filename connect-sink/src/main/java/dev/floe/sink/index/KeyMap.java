package dev.floe.sink.index;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeWrapper;

/**
 * A map by row key (a struct of the key columns, compared by value), as Iceberg's {@code
 * StructLikeMap}, but whose {@link #entrySet}, {@link #keySet} and {@link #forEach} are views.
 * {@code StructLikeMap} copies its entries into a new {@code HashSet} on each of those calls,
 * hashing every key and every value (a whole row, for a flush's buffer): with four passes over a
 * 100,000-row buffer per flush that was 15% of the flush's time.
 *
 * <p>Its entries are visited in the order their keys first came (a {@code LinkedHashMap}): a flush
 * writes its rows in about the order they were buffered, and so made, which the memory system reads
 * ahead; in hash order a flush of updates spread over a table jumped between rows made far apart
 * (3-12% of such a flush, docs/benchmarks.md).
 *
 * <p>Keys are generic records, whose dates, times and timestamps are {@code LocalDate}s, {@code
 * OffsetDateTime}s and the like; Iceberg's comparators (and so {@code StructLikeWrapper}, {@code
 * StructLikeSet}) take them in Iceberg's internal form (days, microseconds) and fail on the others:
 * no two keys with such a column were ever equal. Such keys are compared through {@link
 * InternalRecordWrapper}, and handed out as they were put.
 *
 * <p>Not for concurrent use, as a {@code HashMap}.
 */
public final class KeyMap<V> extends AbstractMap<StructLike, V> {
  private final Map<StructLikeWrapper, V> byKey;
  // a wrapper per key stored or looked up: copies share the type's comparator and hash
  private final StructLikeWrapper template;
  // shared by lookups; null in a set read by several threads at once, which wraps per lookup
  private final StructLikeWrapper probe;
  private final Set<Map.Entry<StructLike, V>> entries = new Entries();
  // null when the key's values are compared as they are (numbers, text, UUIDs: most keys); else
  // the internal form of its temporal values, a view per key stored and one shared by lookups
  private final InternalRecordWrapper internal;
  private final InternalRecordWrapper internalProbe;

  private KeyMap(Types.StructType keyType, Map<StructLikeWrapper, V> byKey) {
    this(keyType, byKey, false);
  }

  private KeyMap(
      Types.StructType keyType, Map<StructLikeWrapper, V> byKey, boolean concurrentReads) {
    this.template = StructLikeWrapper.forType(keyType);
    this.probe = concurrentReads ? null : template.copyFor(null);
    this.byKey = byKey;
    boolean temporal = keyType.fields().stream().anyMatch(f -> hasInternalForm(f.type()));
    this.internal = temporal ? new InternalRecordWrapper(keyType) : null;
    this.internalProbe = temporal && !concurrentReads ? internal.copyFor(null) : null;
  }

  /** Whether generic records hold values of {@code type} in another form than Iceberg compares. */
  private static boolean hasInternalForm(Type type) {
    return switch (type.typeId()) {
      case DATE, TIME, TIMESTAMP, TIMESTAMP_NANO, FIXED, STRUCT -> true;
      default -> false;
    };
  }

  /**
   * A set of row keys, by value, as {@link KeyMap} compares them; once filled, several threads may
   * read it at once (each lookup makes its own wrapper, as Iceberg's {@code StructLikeSet}).
   */
  public static Set<StructLike> setOf(Types.StructType keyType) {
    return java.util.Collections.newSetFromMap(
        new KeyMap<Boolean>(keyType, new java.util.HashMap<>(), true));
  }

  /** The key as it was put: a stored key may be the internal view of it. */
  private static StructLike original(StructLike stored) {
    return stored instanceof InternalRecordWrapper view ? view.get() : stored;
  }

  /** An empty map keyed by structs of {@code keyType}. */
  public static <V> KeyMap<V> create(Types.StructType keyType) {
    return new KeyMap<>(keyType, new LinkedHashMap<>());
  }

  /** An empty map keyed by structs of {@code keyType}, with room for {@code expected} keys. */
  public static <V> KeyMap<V> create(Types.StructType keyType, int expected) {
    return new KeyMap<>(keyType, new LinkedHashMap<>((int) (expected / 0.75f) + 1));
  }

  private StructLikeWrapper wrap(StructLike key) {
    return template.copyFor(internal == null ? key : internal.copyFor(key));
  }

  /**
   * {@code key} in the one wrapper lookups share: a lookup keeps no wrapper, so it need not make
   * one (three per change buffered, get, contains and put, were a large share of what buffering
   * allocated). Not for concurrent readers, as the class says.
   */
  private StructLikeWrapper probe(StructLike key) {
    if (probe == null) {
      return wrap(key);
    }
    return probe.set(internal == null ? key : internalProbe.wrap(key));
  }

  private void probed() {
    if (probe != null) {
      probe.set(null);
    }
  }

  @Override
  public V get(Object key) {
    if (!(key instanceof StructLike struct)) {
      return null;
    }
    V value = byKey.get(probe(struct));
    probed();
    return value;
  }

  @Override
  public V getOrDefault(Object key, V fallback) {
    if (!(key instanceof StructLike struct)) {
      return fallback;
    }
    V value = byKey.getOrDefault(probe(struct), fallback);
    probed();
    return value;
  }

  /**
   * This map with each value replaced by {@code value} of its entry, in place: no key is hashed
   * again. The map is the returned one from then on; this reference must not be used any more.
   */
  @SuppressWarnings("unchecked")
  public <W> KeyMap<W> replaceValues(BiFunction<? super StructLike, ? super V, ? extends W> value) {
    Map<StructLikeWrapper, Object> values = (Map<StructLikeWrapper, Object>) byKey;
    values.replaceAll((key, old) -> value.apply(original(key.get()), (V) old));
    return (KeyMap<W>) this;
  }

  @Override
  public boolean containsKey(Object key) {
    if (!(key instanceof StructLike struct)) {
      return false;
    }
    boolean held = byKey.containsKey(probe(struct));
    probed();
    return held;
  }

  @Override
  public V put(StructLike key, V value) {
    return byKey.put(wrap(key), value);
  }

  @Override
  public V remove(Object key) {
    return key instanceof StructLike struct ? byKey.remove(wrap(struct)) : null;
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public void clear() {
    byKey.clear();
  }

  @Override
  public void forEach(BiConsumer<? super StructLike, ? super V> action) {
    byKey.forEach((key, value) -> action.accept(original(key.get()), value));
  }

  @Override
  public Set<Map.Entry<StructLike, V>> entrySet() {
    return entries;
  }

  /** The entries as they are in the map, unwrapped one at a time as they are read. */
  private final class Entries extends AbstractSet<Map.Entry<StructLike, V>> {
    @Override
    public Iterator<Map.Entry<StructLike, V>> iterator() {
      Iterator<Map.Entry<StructLikeWrapper, V>> wrapped = byKey.entrySet().iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return wrapped.hasNext();
        }

        @Override
        public Map.Entry<StructLike, V> next() {
          Map.Entry<StructLikeWrapper, V> entry = wrapped.next();
          return new Entry(entry);
        }

        @Override
        public void remove() {
          wrapped.remove();
        }
      };
    }

    @Override
    public int size() {
      return byKey.size();
    }
  }

  /** One entry, read and written through to the map. */
  private final class Entry implements Map.Entry<StructLike, V> {
    private final Map.Entry<StructLikeWrapper, V> entry;

    Entry(Map.Entry<StructLikeWrapper, V> entry) {
      this.entry = entry;
    }

    @Override
    public StructLike getKey() {
      return original(entry.getKey().get());
    }

    @Override
    public V getValue() {
      return entry.getValue();
    }

    @Override
    public V setValue(V value) {
      return entry.setValue(value);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Map.Entry<?, ?> that
          && getKey().equals(that.getKey())
          && java.util.Objects.equals(getValue(), that.getValue());
    }

    @Override
    public int hashCode() {
      return entry.getKey().hashCode() ^ java.util.Objects.hashCode(getValue());
    }
  }
}
