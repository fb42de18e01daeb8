package dev.outflow.source.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.config.Mode;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.config.TableSettings;

/**
 * Decides how a table is read from its catalog definition and its settings. The same rules serve the task and
 * {@code validate()}, so validation reports exactly what a task would fail on.
 */
public final class ReadPlans {

    private ReadPlans() {
    }

    public static ReadPlan resolve(TableDefinition table, TableSettings settings) throws PlanException {
        return switch (settings.mode()) {
            case BULK -> bulk(table, "mode=bulk");
            case INCREMENTING -> new ReadPlan(table.id(), Mode.INCREMENTING, List.of(incrementingKey(table,
                    settings.incrementingColumn(), settings.keyOf(PostgresSourceConfig.INCREMENTING_COLUMN_NAME))),
                    "mode=incrementing");
            case TIMESTAMP -> timestamp(table, settings, false);
            case TIMESTAMP_INCREMENTING -> timestamp(table, settings, true);
            case AUTO -> auto(table, settings);
        };
    }

    private static ReadPlan bulk(TableDefinition table, String reason) {
        List<KeyColumn> key = new ArrayList<>();
        for (String pk : table.primaryKey()) {
            key.add(new KeyColumn(pk, typeOf(table, pk), KeyColumn.Role.BULK_KEY));
        }
        if (key.isEmpty()) {
            key.add(new KeyColumn("ctid", "tid", KeyColumn.Role.ROW_ADDRESS));
        }
        return new ReadPlan(table.id(), Mode.BULK, key, reason);
    }

    private static ReadPlan incrementing(TableDefinition table, String column, String reason)
            throws PlanException {
        return new ReadPlan(table.id(), Mode.INCREMENTING, List.of(incrementingKey(table, column,
                PostgresSourceConfig.INCREMENTING_COLUMN_NAME)), reason);
    }

    private static KeyColumn incrementingKey(TableDefinition table, String column, String key)
            throws PlanException {
        ColumnDefinition c = table.column(column).orElseThrow(() -> new PlanException(key,
                "Table " + table.id() + " has no column \"" + column
                        + "\"; name an integer column it has, or exclude the table with table.exclude.list"));
        if (!KeyColumn.isIntegerType(c.typeName())) {
            throw new PlanException(key, "Column \"" + column + "\" of "
                    + table.id() + " is " + c.typeName() + "; incrementing mode needs an integer column (int2, "
                    + "int4, int8)");
        }
        return new KeyColumn(column, c.typeName(), KeyColumn.Role.INCREMENTING);
    }

    private static ReadPlan timestamp(TableDefinition table, TableSettings settings, boolean incrementing)
            throws PlanException {
        Mode mode = incrementing ? Mode.TIMESTAMP_INCREMENTING : Mode.TIMESTAMP;
        KeyColumn ts = timestampKey(table, settings.timestampColumn(), mode,
                settings.keyOf(PostgresSourceConfig.TIMESTAMP_COLUMN_NAME));
        String tiebreakerKey = settings.keyOf(PostgresSourceConfig.TIEBREAKER_COLUMN_NAME);
        KeyColumn tiebreaker;
        String reason = "mode=" + mode;
        if (incrementing) {
            tiebreaker = incrementingKey(table, settings.incrementingColumn(),
                    settings.keyOf(PostgresSourceConfig.INCREMENTING_COLUMN_NAME));
        } else if (!settings.tiebreakerColumn().isEmpty()) {
            String name = settings.tiebreakerColumn();
            ColumnDefinition c = table.column(name).orElseThrow(() -> new PlanException(
                    tiebreakerKey, "Table " + table.id() + " has no column \"" + name
                            + "\"; name a unique column it has, or leave the key empty to use its primary key"));
            if (!table.uniqueColumns().contains(name)) {
                throw new PlanException(tiebreakerKey, "Column \"" + name + "\" of "
                        + table.id() + " is not unique (no unique index or constraint on it alone), so rows "
                        + "sharing a timestamp and this value could be skipped; name a unique column, or add a "
                        + "unique constraint");
            }
            tiebreaker = new KeyColumn(name, c.typeName(), KeyColumn.Role.TIEBREAKER);
        } else {
            tiebreaker = primaryKeyTiebreaker(table).orElseThrow(() -> new PlanException(
                    tiebreakerKey, "Table " + table.id() + " has "
                            + (table.primaryKey().isEmpty() ? "no primary key" : "a primary key of "
                                    + table.primaryKey().size() + " columns")
                            + ", so rows sharing a timestamp cannot be told apart; set "
                            + tiebreakerKey + " to a unique column, or use mode "
                            + "timestamp+incrementing"));
            reason += ", tiebreaker: the primary key";
        }
        return new ReadPlan(table.id(), mode, List.of(ts, tiebreaker), reason);
    }

    private static KeyColumn timestampKey(TableDefinition table, String column, Mode mode, String key)
            throws PlanException {
        if (column.isEmpty()) {
            throw new PlanException(key, "mode " + mode + " of " + table.id() + " needs " + key
                    + ": the column the writers set on every insert "
                    + "and update, e.g. updated_at");
        }
        ColumnDefinition c = table.column(column).orElseThrow(() -> new PlanException(key,
                "Table " + table.id() + " has no column \"" + column
                        + "\"; name a timestamp column it has, or exclude the table with table.exclude.list"));
        if (!KeyColumn.isTimestampType(c.typeName())) {
            throw new PlanException(key, "Column \"" + column + "\" of "
                    + table.id() + " is " + c.typeName() + "; the timestamp modes need a timestamptz or "
                    + "timestamp column");
        }
        return new KeyColumn(column, c.typeName(), KeyColumn.Role.TIMESTAMP);
    }

    private static Optional<KeyColumn> primaryKeyTiebreaker(TableDefinition table) {
        if (table.primaryKey().size() != 1) {
            return Optional.empty();
        }
        String pk = table.primaryKey().get(0);
        return Optional.of(new KeyColumn(pk, typeOf(table, pk), KeyColumn.Role.TIEBREAKER));
    }

    /**
     * timestamp when the table has the configured timestamp column (tiebreaker: its single-column primary key,
     * else a serial/identity column); else incrementing on an integer serial/identity column (the primary key's
     * first); else bulk.
     */
    private static ReadPlan auto(TableDefinition table, TableSettings settings) throws PlanException {
        String tsName = settings.timestampColumn();
        Optional<ColumnDefinition> ts = tsName.isEmpty() ? Optional.empty() : table.column(tsName)
                .filter(c -> KeyColumn.isTimestampType(c.typeName()));
        Optional<String> sequence = table.sequenceColumns().stream()
                .filter(name -> KeyColumn.isIntegerType(typeOf(table, name)))
                .sorted((a, b) -> Boolean.compare(!table.primaryKey().contains(a), !table.primaryKey().contains(b)))
                .findFirst();
        if (ts.isPresent()) {
            KeyColumn tsKey = new KeyColumn(tsName, ts.get().typeName(), KeyColumn.Role.TIMESTAMP);
            Optional<KeyColumn> pk = primaryKeyTiebreaker(table);
            if (pk.isPresent()) {
                return new ReadPlan(table.id(), Mode.TIMESTAMP, List.of(tsKey, pk.get()),
                        "auto: has \"" + tsName + "\", tiebreaker: its primary key");
            }
            if (sequence.isPresent()) {
                return new ReadPlan(table.id(), Mode.TIMESTAMP_INCREMENTING, List.of(tsKey,
                        new KeyColumn(sequence.get(), typeOf(table, sequence.get()), KeyColumn.Role.INCREMENTING)),
                        "auto: has \"" + tsName + "\", tiebreaker: its serial/identity column");
            }
        }
        if (sequence.isPresent()) {
            return incrementing(table, sequence.get(), "auto: " + (ts.isPresent() ? "\"" + tsName + "\" but no "
                    + "unique tiebreaker; " : "no \"" + tsName + "\" column; ") + "serial/identity column \""
                    + sequence.get() + "\"");
        }
        return bulk(table, "auto: no " + (tsName.isEmpty() ? "" : "usable \"" + tsName + "\" column and no ")
                + "serial/identity column");
    }

    private static String typeOf(TableDefinition table, String column) {
        return table.column(column).map(ColumnDefinition::typeName).orElse("text");
    }
}
