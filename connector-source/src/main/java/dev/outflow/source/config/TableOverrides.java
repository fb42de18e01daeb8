package dev.outflow.source.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Per-table overrides in flat Connect keys, the way Connect names its own transforms and predicates: aliases are
 * listed in {@code table.overrides}, and each alias's keys live under {@code table.override.<alias>.}:
 *
 * <pre>
 * table.overrides=orders,events
 * table.override.orders.table=public.orders
 * table.override.orders.mode=timestamp
 * table.override.orders.timestamp.column.name=updated_at
 * table.override.events.table=audit.events
 * table.override.events.topic=events-v2
 * table.override.events.column.exclude.list=payload_raw
 * </pre>
 *
 * An alias is a short name (letters, digits, '_', '-') so that no key is ambiguous; the table is named in a key of
 * its own, so table names may hold any character. The keys of each alias are added to the {@link ConfigDef} of a
 * configuration that lists it, so ConfigDef validates them (and validate() reports errors on the exact key).
 */
public final class TableOverrides {

    public static final String ALIASES = "table.overrides";
    public static final String PREFIX = "table.override.";
    public static final String TABLE = "table";
    public static final String TOPIC = "topic";
    public static final String COLUMN_INCLUDE_LIST = "column.include.list";
    public static final String COLUMN_EXCLUDE_LIST = "column.exclude.list";

    /** Connector-wide keys an override may set under the same name; it inherits the others. */
    public static final List<String> INHERITED = List.of(PostgresSourceConfig.MODE,
            PostgresSourceConfig.TIMESTAMP_COLUMN_NAME, PostgresSourceConfig.TIEBREAKER_COLUMN_NAME,
            PostgresSourceConfig.INCREMENTING_COLUMN_NAME, PostgresSourceConfig.INITIAL_POSITION,
            PostgresSourceConfig.TIMESTAMP_INITIAL, PostgresSourceConfig.INCREMENTING_INITIAL);

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]+");

    private TableOverrides() {
    }

    /** The prefix of one alias's keys. */
    public static String prefix(String alias) {
        return PREFIX + alias + ".";
    }

    /** The valid, distinct aliases listed in the raw configuration (invalid ones are reported by the validator). */
    static List<String> aliases(Map<String, ?> props) {
        Object raw = props.get(ALIASES);
        if (raw == null) {
            return List.of();
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (String alias : raw.toString().split(",")) {
            if (ALIAS.matcher(alias.trim()).matches()) {
                aliases.add(alias.trim());
            }
        }
        return List.copyOf(aliases);
    }

    /** {@code base} plus the keys of every alias {@code props} lists. */
    static ConfigDef enrich(ConfigDef base, Map<String, ?> props) {
        List<String> aliases = aliases(props);
        if (aliases.isEmpty()) {
            return base;
        }
        ConfigDef def = new ConfigDef(base);
        for (String alias : aliases) {
            define(def, alias);
        }
        return def;
    }

    private static void define(ConfigDef def, String alias) {
        String p = prefix(alias);
        String group = "Table override: " + alias;
        int order = 0;
        def.define(p + TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new QualifiedNameValidator(),
                Importance.HIGH, "The table this override applies to, as schema.table exactly as PostgreSQL spells "
                        + "it (no quotes, no pattern). It must also match table.include.list.",
                group, ++order, Width.MEDIUM, "Table");
        def.define(p + TOPIC, Type.STRING, null, nullable(new TopicNameValidator()), Importance.MEDIUM,
                "The whole topic name for this table's rows (topic.prefix is not added). Default: "
                        + "<topic.prefix><schema>.<table>.", group, ++order, Width.MEDIUM, "Topic");
        def.define(p + COLUMN_INCLUDE_LIST, Type.LIST, null, Importance.MEDIUM,
                "Comma-separated column names (exact, case-sensitive): only these columns travel. Primary key "
                        + "columns always travel (they are the record key). Default: every column.",
                group, ++order, Width.LONG, "Columns to include");
        def.define(p + COLUMN_EXCLUDE_LIST, Type.LIST, null, Importance.MEDIUM,
                "Comma-separated column names (exact, case-sensitive) left out of the records. A primary key "
                        + "column cannot be left out. The timestamp and incrementing columns may: they are still "
                        + "read to page the table.", group, ++order, Width.LONG, "Columns to exclude");
        def.define(p + PostgresSourceConfig.MODE, Type.STRING, null,
                nullable(new PostgresSourceConfig.ModeValidator()), Importance.MEDIUM,
                "This table's mode; default: the connector's mode.", group, ++order, Width.SHORT, "Mode",
                new PostgresSourceConfig.ModeRecommender());
        def.define(p + PostgresSourceConfig.TIMESTAMP_COLUMN_NAME, Type.STRING, null, Importance.MEDIUM,
                "This table's timestamp column; default: timestamp.column.name.", group, ++order, Width.MEDIUM,
                "Timestamp column");
        def.define(p + PostgresSourceConfig.TIEBREAKER_COLUMN_NAME, Type.STRING, null, Importance.MEDIUM,
                "This table's tiebreaker column; default: timestamp.tiebreaker.column.name.", group, ++order,
                Width.MEDIUM, "Tiebreaker column");
        def.define(p + PostgresSourceConfig.INCREMENTING_COLUMN_NAME, Type.STRING, null,
                nullable(new PostgresSourceConfig.NonBlankValidator()), Importance.MEDIUM,
                "This table's incrementing column; default: incrementing.column.name.", group, ++order,
                Width.MEDIUM, "Incrementing column");
        List<String> positions = InitialPosition.configNames();
        def.define(p + PostgresSourceConfig.INITIAL_POSITION, Type.STRING, null,
                nullable(new PostgresSourceConfig.LowerCaseChoice(positions)), Importance.LOW,
                "Where this table is first read from; default: initial.position.", group, ++order, Width.SHORT,
                "Initial position", new PostgresSourceConfig.ChoiceRecommender(positions));
        def.define(p + PostgresSourceConfig.TIMESTAMP_INITIAL, Type.LONG, null, nullable(ConfigDef.Range.atLeast(0)),
                Importance.LOW, "This table's timestamp.initial.", group, ++order, Width.SHORT,
                "Initial timestamp (ms)");
        def.define(p + PostgresSourceConfig.INCREMENTING_INITIAL, Type.LONG, null, Importance.LOW,
                "This table's incrementing.initial.", group, ++order, Width.SHORT, "Initial incrementing value");
    }

    /** {@code validator} for a key whose null means "inherit the connector-wide value". */
    static ConfigDef.Validator nullable(ConfigDef.Validator validator) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null) {
                    validator.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return validator + " (empty: inherit)";
            }
        };
    }

    /** Each alias a short name, listed once. */
    static final class AliasListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> aliases = value == null ? List.of() : (List<String>) value;
            Set<String> seen = new LinkedHashSet<>();
            for (String alias : aliases) {
                if (!ALIAS.matcher(alias.trim()).matches()) {
                    throw new ConfigException(name, alias, "an alias may only hold letters, digits, '_' and '-' "
                            + "(it is part of the keys table.override.<alias>.*); name the table in "
                            + "table.override.<alias>.table");
                }
                if (!seen.add(alias.trim())) {
                    throw new ConfigException(name, alias, "is listed twice");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated aliases (letters, digits, '_', '-')";
        }
    }

    static final class QualifiedNameValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : ((String) value).trim();
            int dot = s.indexOf('.');
            if (dot <= 0 || dot == s.length() - 1) {
                throw new ConfigException(name, value, "must name one table as schema.table, e.g. public.orders");
            }
        }

        @Override
        public String toString() {
            return "schema.table";
        }
    }

    /** Kafka's own rule for topic names, so a bad name is caught at validation, not when the producer fails. */
    static final class TopicNameValidator implements ConfigDef.Validator {
        private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

        @Override
        public void ensureValid(String name, Object value) {
            String s = ((String) value).trim();
            if (!LEGAL.matcher(s).matches() || s.equals(".") || s.equals("..")) {
                throw new ConfigException(name, value, "is not a valid Kafka topic name: use 1 to 249 ASCII "
                        + "letters, digits, '.', '_' and '-'");
            }
        }

        @Override
        public String toString() {
            return "a Kafka topic name";
        }
    }

    /** One alias's settings as parsed: the table it names and the keys it sets (nulls left out). */
    record Alias(String alias, String table, Map<String, Object> values) {

        String prefix() {
            return TableOverrides.prefix(alias);
        }

        boolean sets(String key) {
            return values.containsKey(key);
        }

        @SuppressWarnings("unchecked")
        List<String> list(String key) {
            Object v = values.get(key);
            return v == null ? List.of() : ((List<String>) v).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
        }

        String string(String key, String fallback) {
            Object v = values.get(key);
            return v == null ? fallback : v.toString().trim();
        }

        static List<Alias> parse(PostgresSourceConfig config, Map<String, ?> props) {
            List<Alias> overrides = new ArrayList<>();
            for (String alias : aliases(props)) {
                String p = TableOverrides.prefix(alias);
                Map<String, Object> values = new java.util.HashMap<>();
                for (Map.Entry<String, ?> e : config.values().entrySet()) {
                    if (e.getKey().startsWith(p) && e.getValue() != null) {
                        values.put(e.getKey().substring(p.length()), e.getValue());
                    }
                }
                overrides.add(new Alias(alias, ((String) values.remove(TABLE)).trim(), values));
            }
            return overrides;
        }
    }
}
