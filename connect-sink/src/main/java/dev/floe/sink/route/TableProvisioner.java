package dev.floe.sink.route;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.NumericMapping;
import dev.floe.sink.schema.TypeMapping;
import dev.floe.sink.schema.UnrepresentableValues;
import dev.floe.sink.write.WriteMode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Term;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a table, or creates it from the first change event that needs it: the row's columns, with
 * the record key's columns as required identifier fields (what equality deletes and upserts match
 * on).
 */
public final class TableProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TableProvisioner.class);

  private final Catalog catalog;
  private final boolean autoCreate;
  private final int formatVersion;
  private final Map<String, String> tableProperties;
  private final Function<String, String> partitionBy;
  private final WriteMode mode;
  private final Map<TableIdentifier, String> refusedNames = new HashMap<>();

  public TableProvisioner(Catalog catalog, boolean autoCreate, int formatVersion) {
    this(catalog, autoCreate, formatVersion, Map.of(), table -> null, WriteMode.UPSERT);
  }

  /**
   * @param tableProperties properties of every table created; {@value
   *     NumericMapping#TABLE_PROPERTY} among them says how its unconstrained numeric columns are
   *     mapped ({@link NumericMapping#DEFAULT} when absent), and is recorded in every table created
   * @param partitionBy the partition spec text for a table ({@code namespace.name}), or null
   */
  public TableProvisioner(
      Catalog catalog,
      boolean autoCreate,
      int formatVersion,
      Map<String, String> tableProperties,
      Function<String, String> partitionBy,
      WriteMode mode) {
    this.mode = mode;
    this.catalog = catalog;
    this.autoCreate = autoCreate;
    this.formatVersion = formatVersion;
    this.tableProperties = tableProperties;
    this.partitionBy = partitionBy;
  }

  /**
   * The table, created from {@code first} if missing; null when {@code first} carries no row (a
   * tombstone, a truncate) and the table does not exist: there is nothing to delete.
   */
  public Table loadOrCreate(TableIdentifier id, ChangeEvent first) {
    return loadOrCreate(id, first, SourceClaims.inTask());
  }

  /**
   * As {@link #loadOrCreate(TableIdentifier, ChangeEvent)}; a table created records the source
   * {@code claims} name for it, and one loaded that another source owns is refused.
   */
  public Table loadOrCreate(TableIdentifier id, ChangeEvent first, SourceClaims claims) {
    String refused = refusedNames.get(id);
    if (refused != null) {
      throw new DataException(refused);
    }
    try {
      Table table = provision(id, first, claims.ownerOf(id));
      String taken = table == null ? null : claims.refusalOnLoad(id, table);
      if (taken != null) {
        throw new SourceClaims.TakenException(taken);
      }
      return table;
    } catch (DataException rowProblem) {
      throw rowProblem; // the first row's shape, refused before the catalog was asked
    } catch (RuntimeException e) {
      String reason = CatalogRefusal.ofName(id, e);
      if (reason == null) {
        throw e;
      }
      // the same name is refused the same way: say so from here on without asking (a JDBC catalog
      // would leave a metadata file behind on each attempt)
      refusedNames.put(id, reason);
      throw new DataException(reason, e);
    }
  }

  private Table provision(TableIdentifier id, ChangeEvent first, String owner) {
    try {
      return catalog.loadTable(id);
    } catch (NoSuchTableException missing) {
      if (first.rowSchema() == null) {
        return null;
      }
      if (!autoCreate) {
        throw new ConnectException(
            "Iceberg table "
                + id
                + " does not exist and iceberg.tables.auto-create "
                + "is false: create it, or set iceberg.tables.auto-create=true.");
      }
    }
    Set<String> keyColumns = new HashSet<>();
    for (Field field : first.key().schema().fields()) {
      keyColumns.add(field.name());
    }
    Schema schema = TypeMapping.toIcebergSchema(first.rowSchema(), keyColumns, numericMapping());
    schema = UnrepresentableValues.withColumnIfNeeded(schema, first.rowSchema());
    if (mode != WriteMode.UPSERT) {
      schema = ChangeMetadata.withMetadata(schema, mode == WriteMode.SOFT_DELETE);
    }
    ensureNamespace(id);
    try {
      Table table = create(id, schema, owner);
      LOG.info(
          "Created Iceberg table {} with identifier fields {}, partitioned by {}",
          id,
          keyColumns,
          table.spec());
      return table;
    } catch (RuntimeException raced) {
      // another task created it first: catalogs report that as AlreadyExists, or (JDBC) as a
      // unique-key violation
      if (CatalogRefusal.ofName(id, raced) == null && catalog.tableExists(id)) {
        return catalog.loadTable(id);
      }
      throw raced;
    }
  }

  /**
   * Creates the table unpartitioned, then adds its partition fields in the same transaction: the
   * unpartitioned spec stays in the table's history, and the sink writes key deletes with it so
   * they reach every partition.
   */
  private Table create(TableIdentifier id, Schema schema, String owner) {
    Map<String, String> props = new HashMap<>();
    if (owner != null) {
      props.put(SourceClaims.PROPERTY, owner); // the source its default name was made from
    }
    // a commit every few seconds writes a metadata file each time: keep the last hundred, not all
    props.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    props.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
    props.putAll(tableProperties);
    props.put(TableProperties.FORMAT_VERSION, String.valueOf(formatVersion));
    // recorded, so columns added later get the type its first ones got (SchemaEvolver)
    props.put(NumericMapping.TABLE_PROPERTY, numericMapping().configName());
    String spec = partitionBy.apply(id.toString());
    if (spec == null) {
      return catalog.createTable(id, schema, PartitionSpec.unpartitioned(), props);
    }
    Transaction create =
        catalog.newCreateTableTransaction(id, schema, PartitionSpec.unpartitioned(), props);
    UpdatePartitionSpec partitioning = create.updateSpec();
    for (Term term : PartitionSpecText.parse(spec)) {
      partitioning.addField(term);
    }
    partitioning.commit();
    create.commitTransaction();
    return catalog.loadTable(id);
  }

  private NumericMapping numericMapping() {
    return NumericMapping.ofProperties(tableProperties, NumericMapping.DEFAULT);
  }

  private void ensureNamespace(TableIdentifier id) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(id.namespace());
      } catch (RuntimeException raced) {
        if (!namespaces.namespaceExists(id.namespace())) {
          throw raced;
        } // else another task created it first
      }
    }
  }
}
