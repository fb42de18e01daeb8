package dev.outflow.source.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import dev.outflow.source.types.TypeOptions;

/**
 * Every configuration key of the PostgreSQL source connector. Names follow Confluent's JDBC source where the
 * meaning is the same, so users migrating from it recognise them.
 */
public final class PostgresSourceConfig extends AbstractConfig {

    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_TABLES = "Tables";
    public static final String GROUP_MODE = "Mode";
    public static final String GROUP_POLLING = "Polling";
    public static final String GROUP_TYPES = "Types";

    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_ATTEMPTS = "connection.attempts";
    public static final String CONNECTION_BACKOFF_MS = "connection.backoff.ms";

    public static final String TABLE_INCLUDE_LIST = "table.include.list";
    public static final String TABLE_EXCLUDE_LIST = "table.exclude.list";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String TABLE_TYPES = "table.types";
    public static final String TABLE_POLL_INTERVAL_MS = "table.poll.interval.ms";

    public static final String MODE = "mode";
    public static final String MODE_INCREMENTING = "incrementing";
    public static final String INCREMENTING_COLUMN_NAME = "incrementing.column.name";
    public static final String TIMESTAMP_COLUMN_NAME = "timestamp.column.name";
    public static final String TIEBREAKER_COLUMN_NAME = "timestamp.tiebreaker.column.name";
    public static final String TIMESTAMP_DELAY_INTERVAL_MS = "timestamp.delay.interval.ms";
    public static final String TIMESTAMP_TRANSACTION_WAIT_MAX_MS = "timestamp.open.transaction.wait.max.ms";
    public static final String DB_TIMEZONE = "db.timezone";
    public static final String RECORD_TIMESTAMP = "record.timestamp";
    public static final String RECORD_TIMESTAMP_PRODUCE = "produce";
    public static final String RECORD_TIMESTAMP_WATERMARK = "watermark";
    public static final String INITIAL_POSITION = "initial.position";
    public static final String TIMESTAMP_INITIAL = "timestamp.initial";
    public static final String INCREMENTING_INITIAL = "incrementing.initial";

    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";

    public static final String NUMERIC_UNCONSTRAINED_HANDLING = "numeric.unconstrained.handling";
    public static final String NUMERIC_UNCONSTRAINED_SCALE = "numeric.unconstrained.scale";
    public static final String UNKNOWN_TYPE_HANDLING = "unknown.type.handling";

    /** Written by the connector into each task's configuration: the tables that task reads. */
    public static final String TASK_TABLES = "outflow.task.tables";

    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    public static final ConfigDef CONFIG_DEF = configDef();

    // The overrides of table.overrides, by the qualified name of the table they name.
    private final Map<String, TableOverrides.Alias> overrides = new java.util.LinkedHashMap<>();
    private final List<TableOverrides.Alias> overrideList;

    public PostgresSourceConfig(Map<String, String> props) {
        super(configDef(props), props);
        overrideList = TableOverrides.Alias.parse(this, props);
        overrideList.forEach(o -> overrides.putIfAbsent(o.table(), o));
    }

    /**
     * The definition of every key a configuration may hold: {@link #CONFIG_DEF} plus the keys of each alias its
     * {@code table.overrides} lists.
     */
    public static ConfigDef configDef(Map<String, ?> props) {
        return TableOverrides.enrich(CONFIG_DEF, props);
    }

    /** A problem that involves more than one key, reported on the key to change. */
    public record Problem(String key, String message) {
    }

    /**
     * Checks across keys that no single key's validator can make (each key on its own is valid): an override
     * naming a table another one names, both column lists on one table, an initial position without its value or
     * a value without {@code initial.position=value}.
     */
    public List<Problem> problems() {
        List<Problem> problems = new java.util.ArrayList<>();
        java.util.Set<String> tables = new java.util.HashSet<>();
        for (TableOverrides.Alias o : overrideList) {
            if (!tables.add(o.table())) {
                problems.add(new Problem(o.prefix() + TableOverrides.TABLE, "Table " + o.table() + " is already "
                        + "named by another alias of " + TableOverrides.ALIASES + "; put its settings in one alias"));
            }
            if (o.sets(TableOverrides.COLUMN_INCLUDE_LIST) && o.sets(TableOverrides.COLUMN_EXCLUDE_LIST)) {
                problems.add(new Problem(o.prefix() + TableOverrides.COLUMN_EXCLUDE_LIST, "Set either "
                        + o.prefix() + TableOverrides.COLUMN_INCLUDE_LIST + " or " + o.prefix()
                        + TableOverrides.COLUMN_EXCLUDE_LIST + ", not both"));
            }
        }
        startProblems("", null, problems);
        for (TableOverrides.Alias o : overrideList) {
            startProblems(o.prefix(), o, problems);
        }
        return problems;
    }

    private void startProblems(String prefix, TableOverrides.Alias o, List<Problem> problems) {
        if (o != null && !o.sets(INITIAL_POSITION) && !o.sets(TIMESTAMP_INITIAL) && !o.sets(INCREMENTING_INITIAL)) {
            return; // inherits the connector-wide start, checked once
        }
        TableSettings.StartPosition start = startFor(o);
        if (start.position() == InitialPosition.VALUE) {
            if (start.timestampMs() == null && start.incrementing() == null) {
                problems.add(new Problem(prefix + INITIAL_POSITION, "initial.position=value needs "
                        + prefix + TIMESTAMP_INITIAL + " (timestamp modes) or " + prefix + INCREMENTING_INITIAL
                        + " (incrementing mode)"));
            }
        } else {
            for (String key : List.of(TIMESTAMP_INITIAL, INCREMENTING_INITIAL)) {
                boolean set = o == null ? originals().get(key) != null : o.sets(key);
                if (set) {
                    problems.add(new Problem(prefix + key, "Is only used with " + prefix + INITIAL_POSITION
                            + "=value (it is " + start.position().configName() + "); set that, or remove "
                            + prefix + key));
                }
            }
        }
    }

    /** Throws the first of {@link #problems()}, for the connector and tasks, which cannot run with one. */
    public void checkProblems() {
        List<Problem> problems = problems();
        if (!problems.isEmpty()) {
            Problem p = problems.get(0);
            throw new ConfigException(p.key() + ": " + p.message());
        }
    }

    /** The aliases of table.overrides, by the table each names (a table named twice: the first alias). */
    public Map<String, String> overrideAliases() {
        Map<String, String> aliases = new java.util.LinkedHashMap<>();
        overrideList.forEach(o -> aliases.putIfAbsent(o.table(), o.alias()));
        return aliases;
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new JdbcUrlValidator(), Importance.HIGH,
                "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://db.example.com:5432/shop. "
                        + "Extra pgjdbc parameters (sslmode, ...) may be appended.",
                GROUP_CONNECTION, ++order, Width.LONG, "JDBC URL");
        def.define(CONNECTION_USER, Type.STRING, null, Importance.HIGH,
                "Database user. Needs SELECT on the tables and USAGE on their schemas.",
                GROUP_CONNECTION, ++order, Width.MEDIUM, "User");
        def.define(CONNECTION_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                "Password of the database user. Use a config provider (e.g. ${file:...}) to keep it out of the "
                        + "connector config.",
                GROUP_CONNECTION, ++order, Width.MEDIUM, "Password");
        def.define(CONNECTION_ATTEMPTS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How many times to try opening a database connection before giving up on this attempt. "
                        + "A task that cannot connect while polling keeps retrying (it never fails for an outage).",
                GROUP_CONNECTION, ++order, Width.SHORT, "Connection attempts");
        def.define(CONNECTION_BACKOFF_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Milliseconds to wait between connection attempts.",
                GROUP_CONNECTION, ++order, Width.SHORT, "Connection backoff (ms)");

        order = 0;
        def.define(TABLE_INCLUDE_LIST, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new RegexListValidator(),
                Importance.HIGH,
                "Comma-separated regular expressions matched against the whole qualified name schema.table "
                        + "(e.g. public.orders, or sales\\..* for every table of schema sales). Only ordinary and "
                        + "partitioned tables are read.",
                GROUP_TABLES, ++order, Width.LONG, "Tables to include");
        def.define(TABLE_EXCLUDE_LIST, Type.LIST, "", new RegexListValidator(), Importance.MEDIUM,
                "Comma-separated regular expressions on schema.table; a table matching one is not read even if "
                        + "it matches table.include.list.",
                GROUP_TABLES, ++order, Width.LONG, "Tables to exclude");
        def.define(TOPIC_PREFIX, Type.STRING, "", Importance.HIGH,
                "Prefix of the topic names: rows of schema.table go to topic <topic.prefix><schema>.<table>.",
                GROUP_TABLES, ++order, Width.MEDIUM, "Topic prefix");
        def.define(TABLE_TYPES, Type.LIST, TableType.TABLE.configName(), new TableTypesValidator(),
                Importance.LOW,
                "Which kinds of relation may be read: TABLE (ordinary tables, and partitioned tables read "
                        + "through their parent, never partition by partition), VIEW, MATERIALIZED VIEW, "
                        + "FOREIGN TABLE. Views have no primary key: read them in bulk mode or name their "
                        + "columns.",
                GROUP_TABLES, ++order, Width.MEDIUM, "Table types", new TableTypesRecommender());
        def.define(TableOverrides.ALIASES, Type.LIST, "", new TableOverrides.AliasListValidator(),
                Importance.MEDIUM,
                "Comma-separated aliases of per-table overrides (letters, digits, '_', '-'). Each alias names "
                        + "its table in table.override.<alias>.table and may set, under table.override.<alias>.: "
                        + "mode, timestamp.column.name, timestamp.tiebreaker.column.name, incrementing.column.name, "
                        + "initial.position, timestamp.initial, incrementing.initial (default: the connector's "
                        + "value), topic (the whole topic name), column.include.list or column.exclude.list "
                        + "(exact column names). See docs/source.md.",
                GROUP_TABLES, ++order, Width.LONG, "Per-table overrides");
        def.define(TABLE_POLL_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                "Milliseconds between two looks at the catalog for tables created or dropped while running; "
                        + "a change reassigns the tables to the tasks.",
                GROUP_TABLES, ++order, Width.SHORT, "Table poll interval (ms)");

        order = 0;
        def.define(MODE, Type.STRING, MODE_INCREMENTING, new ModeValidator(), Importance.HIGH,
                "How new rows are found. incrementing: rows whose incrementing.column.name is greater than the "
                        + "last one read (append-only tables with an identity or serial key). timestamp: rows "
                        + "whose (timestamp.column.name, timestamp.tiebreaker.column.name) pair is after the last "
                        + "pair read (inserts and updates). timestamp+incrementing: the same with "
                        + "incrementing.column.name as the tiebreaker. bulk: the whole table on every poll. "
                        + "auto: per table, timestamp if it has timestamp.column.name (the primary key as "
                        + "tiebreaker), else incrementing on its identity/serial column, else bulk.",
                GROUP_MODE, ++order, Width.SHORT, "Mode", new ModeRecommender());
        def.define(INCREMENTING_COLUMN_NAME, Type.STRING, "id", new NonBlankValidator(), Importance.HIGH,
                "Column (int2, int4 or int8) whose strictly increasing values identify new rows. Rows where it "
                        + "is NULL are never read.",
                GROUP_MODE, ++order, Width.MEDIUM, "Incrementing column");
        def.define(TIMESTAMP_COLUMN_NAME, Type.STRING, "", Importance.HIGH,
                "Column (timestamptz or timestamp) the writers set to the time of each insert and update, "
                        + "e.g. updated_at. Required by the timestamp modes; used by auto when a table has it. "
                        + "Rows where it is NULL are never read.",
                GROUP_MODE, ++order, Width.MEDIUM, "Timestamp column");
        def.define(TIEBREAKER_COLUMN_NAME, Type.STRING, "", Importance.MEDIUM,
                "timestamp mode: a unique column that orders rows sharing one timestamp, so paging and "
                        + "restarts never skip or repeat one. Empty: the table's single-column primary key.",
                GROUP_MODE, ++order, Width.MEDIUM, "Tiebreaker column");
        def.define(TIMESTAMP_DELAY_INTERVAL_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "Timestamp modes: only rows whose timestamp is older than the database clock minus this many "
                        + "milliseconds are read. Covers writers whose timestamps come from their own clock or "
                        + "are set before their transaction; transactions open in the database are waited for "
                        + "anyway (see timestamp.open.transaction.wait.max.ms).",
                GROUP_MODE, ++order, Width.SHORT, "Timestamp delay (ms)");
        def.define(TIMESTAMP_TRANSACTION_WAIT_MAX_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Timestamp modes: rows newer than the start of the oldest transaction still open in the "
                        + "database are not read until it ends, since it may yet commit a row with an older "
                        + "timestamp. A transaction open longer than this many milliseconds stops holding reads "
                        + "back (a warning names its pid); a row it commits later with a timestamp older than "
                        + "the watermark is then missed. 0 turns the wait off.",
                GROUP_MODE, ++order, Width.SHORT, "Open transaction wait (ms)");
        List<String> positions = InitialPosition.configNames();
        def.define(INITIAL_POSITION, Type.STRING, InitialPosition.EARLIEST.configName(),
                new LowerCaseChoice(positions), Importance.MEDIUM,
                "Where a table without a stored offset is first read from. earliest: every row. latest: only "
                        + "rows inserted (timestamp modes: inserted or updated) after the connector first reads "
                        + "the table (incrementing: above the column's current maximum; timestamp modes: from the "
                        + "read horizon, so transactions still open are not lost). value: from timestamp.initial "
                        + "(timestamp modes) or after incrementing.initial (incrementing). Bulk tables always "
                        + "read everything. A stored offset always wins.",
                GROUP_MODE, ++order, Width.SHORT, "Initial position", new ChoiceRecommender(positions));
        def.define(TIMESTAMP_INITIAL, Type.LONG, null, TableOverrides.nullable(ConfigDef.Range.atLeast(0)),
                Importance.LOW,
                "With initial.position=value, in the timestamp modes: rows whose timestamp column is at or after "
                        + "this instant, in milliseconds since 1970-01-01T00:00:00Z, are read (for a timestamp "
                        + "without time zone column, the instant is taken as a wall-clock time in db.timezone). "
                        + "Confluent JDBC's name; its -1 (now) is initial.position=latest here.",
                GROUP_MODE, ++order, Width.SHORT, "Initial timestamp (ms)");
        def.define(INCREMENTING_INITIAL, Type.LONG, null, Importance.LOW,
                "With initial.position=value, in incrementing mode: rows whose incrementing column is above this "
                        + "value are read.",
                GROUP_MODE, ++order, Width.SHORT, "Initial incrementing value");
        def.define(DB_TIMEZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                "Time zone in which a timestamp.column.name of type timestamp (without time zone) is written, "
                        + "e.g. UTC or Europe/Paris: the database clock is converted to it to bound each read. "
                        + "Not used for timestamptz columns, which are instants.",
                GROUP_MODE, ++order, Width.SHORT, "Database time zone");
        def.define(RECORD_TIMESTAMP, Type.STRING, RECORD_TIMESTAMP_PRODUCE,
                ConfigDef.ValidString.in(RECORD_TIMESTAMP_PRODUCE, RECORD_TIMESTAMP_WATERMARK), Importance.LOW,
                "The Kafka timestamp of each record. produce: the time it is sent (Kafka's default). watermark: in "
                        + "the timestamp modes, the row's timestamp column (milliseconds). Beware: Kafka's "
                        + "time-based retention (retention.ms, 7 days by default) deletes records by this "
                        + "timestamp, so with watermark a backfill of older rows can be deleted at once; give "
                        + "such topics retention.ms=-1.",
                GROUP_MODE, ++order, Width.SHORT, "Record timestamp");

        order = 0;
        def.define(POLL_INTERVAL_MS, Type.INT, 5_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Milliseconds between two polls of a table that had no more rows to read.",
                GROUP_POLLING, ++order, Width.SHORT, "Poll interval (ms)");
        def.define(BATCH_MAX_ROWS, Type.INT, 1_000, ConfigDef.Range.between(1, 1_000_000), Importance.MEDIUM,
                "Maximum rows read from one table in one query (one page); also the JDBC fetch size, so it "
                        + "bounds the rows held in memory at once.",
                GROUP_POLLING, ++order, Width.SHORT, "Rows per query");

        def.defineInternal(TASK_TABLES, Type.STRING, "", Importance.LOW);

        defineTypes(def);
        return def;
    }

    /** Group "Types": how values without one exact mapping travel (docs/types.md explains each choice). */
    private static void defineTypes(ConfigDef def) {
        int order = 0;
        List<String> numericModes = enumValues(TypeOptions.NumericHandling.values());
        def.define(NUMERIC_UNCONSTRAINED_HANDLING, Type.STRING, TypeOptions.DEFAULTS.unconstrainedNumeric()
                        .configValue(), new LowerCaseChoice(numericModes), Importance.MEDIUM,
                "How a numeric column declared without precision and scale travels (numeric(p,s) is always an "
                        + "exact decimal). string: PostgreSQL's exact text, every digit kept, NaN and Infinity "
                        + "included. double: a 64-bit float (about 15 significant digits). decimal: a decimal "
                        + "with scale " + NUMERIC_UNCONSTRAINED_SCALE + " (rounded half away from zero, as PostgreSQL rounds; at most 38 digits; "
                        + "NaN and Infinity travel as null).",
                GROUP_TYPES, ++order, Width.SHORT, "Unconstrained numeric", new ChoiceRecommender(numericModes));
        def.define(NUMERIC_UNCONSTRAINED_SCALE, Type.INT, TypeOptions.DEFAULTS.unconstrainedScale(),
                ConfigDef.Range.between(0, 38), Importance.LOW,
                "Scale (digits after the point) of unconstrained numerics when " + NUMERIC_UNCONSTRAINED_HANDLING
                        + "=decimal.",
                GROUP_TYPES, ++order, Width.SHORT, "Unconstrained numeric scale");
        List<String> unknownModes = enumValues(TypeOptions.UnknownTypeHandling.values());
        def.define(UNKNOWN_TYPE_HANDLING, Type.STRING, TypeOptions.DEFAULTS.unknownTypes().configValue(),
                new LowerCaseChoice(unknownModes), Importance.MEDIUM,
                "What happens to a column whose type has no mapping rule (an extension's type, say); the "
                        + "connector logs one warning naming the table and column either way. text: it travels "
                        + "as PostgreSQL's text form. skip: the column is left out (a primary key column still "
                        + "travels, as text).",
                GROUP_TYPES, ++order, Width.SHORT, "Unknown types", new ChoiceRecommender(unknownModes));
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL);
    }

    public String user() {
        return getString(CONNECTION_USER);
    }

    /** The password, or null. Never log it. */
    public String password() {
        Password password = getPassword(CONNECTION_PASSWORD);
        return password == null ? null : password.value();
    }

    public int connectionAttempts() {
        return getInt(CONNECTION_ATTEMPTS);
    }

    public long connectionBackoffMs() {
        return getLong(CONNECTION_BACKOFF_MS);
    }

    public List<Pattern> includePatterns() {
        return patterns(getList(TABLE_INCLUDE_LIST));
    }

    public List<Pattern> excludePatterns() {
        return patterns(getList(TABLE_EXCLUDE_LIST));
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public String incrementingColumn() {
        return getString(INCREMENTING_COLUMN_NAME).trim();
    }

    public Mode mode() {
        return Mode.of(getString(MODE));
    }

    /** The timestamp column, or empty when none is configured. */
    public String timestampColumn() {
        return getString(TIMESTAMP_COLUMN_NAME).trim();
    }

    /** The tiebreaker column, or empty for "the primary key". */
    public String tiebreakerColumn() {
        return getString(TIEBREAKER_COLUMN_NAME).trim();
    }

    public long timestampDelayMs() {
        return getLong(TIMESTAMP_DELAY_INTERVAL_MS);
    }

    public long openTransactionWaitMaxMs() {
        return getLong(TIMESTAMP_TRANSACTION_WAIT_MAX_MS);
    }

    /** Whether records carry the row's watermark as their Kafka timestamp. */
    public boolean watermarkRecordTimestamp() {
        return RECORD_TIMESTAMP_WATERMARK.equals(getString(RECORD_TIMESTAMP));
    }

    public String dbTimezone() {
        return getString(DB_TIMEZONE).trim();
    }

    public java.util.Set<TableType> tableTypes() {
        java.util.Set<TableType> types = java.util.EnumSet.noneOf(TableType.class);
        getList(TABLE_TYPES).stream().map(String::trim).filter(s -> !s.isEmpty()).map(TableType::of)
                .forEach(types::add);
        return types;
    }

    /** How {@code table} is to be read: the connector-wide settings, with its override (if any) applied. */
    public TableSettings settingsFor(dev.outflow.source.catalog.TableId table) {
        TableOverrides.Alias o = overrides.get(table.qualifiedName());
        String defaultTopic = topicName(topicPrefix() + table.qualifiedName());
        if (o == null) {
            return new TableSettings(mode(), timestampColumn(), incrementingColumn(), tiebreakerColumn(),
                    defaultTopic, List.of(), List.of(), startFor(null), "", java.util.Set.of());
        }
        java.util.Set<String> overridden = new java.util.HashSet<>(o.values().keySet());
        overridden.retainAll(TableOverrides.INHERITED);
        return new TableSettings(
                o.sets(MODE) ? Mode.of(o.string(MODE, "")) : mode(),
                o.string(TIMESTAMP_COLUMN_NAME, timestampColumn()),
                o.string(INCREMENTING_COLUMN_NAME, incrementingColumn()),
                o.string(TIEBREAKER_COLUMN_NAME, tiebreakerColumn()),
                o.string(TableOverrides.TOPIC, defaultTopic),
                o.list(TableOverrides.COLUMN_INCLUDE_LIST), o.list(TableOverrides.COLUMN_EXCLUDE_LIST),
                startFor(o), o.prefix(), overridden);
    }

    /** The start position of an override (null: the connector-wide one). */
    private TableSettings.StartPosition startFor(TableOverrides.Alias o) {
        InitialPosition position = InitialPosition.of(o != null && o.sets(INITIAL_POSITION)
                ? o.string(INITIAL_POSITION, "") : getString(INITIAL_POSITION));
        Long timestamp = o != null && o.sets(TIMESTAMP_INITIAL) ? (Long) o.values().get(TIMESTAMP_INITIAL)
                : getLong(TIMESTAMP_INITIAL);
        Long incrementing = o != null && o.sets(INCREMENTING_INITIAL) ? (Long) o.values().get(INCREMENTING_INITIAL)
                : getLong(INCREMENTING_INITIAL);
        return new TableSettings.StartPosition(position, timestamp, incrementing);
    }

    /**
     * A valid Kafka topic name: Kafka allows only ASCII letters, digits, '.', '_' and '-' (at most 249), so every
     * other character of a table name (space, quote, non-ASCII letter) becomes '_'.
     */
    public static String topicName(String wanted) {
        StringBuilder topic = new StringBuilder(wanted.length());
        wanted.codePoints().forEach(c -> topic.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.'
                || c == '_' || c == '-') ? (char) c : '_'));
        return topic.length() > 249 ? topic.substring(0, 249) : topic.toString();
    }

    public long tablePollIntervalMs() {
        return getLong(TABLE_POLL_INTERVAL_MS);
    }

    public int pollIntervalMs() {
        return getInt(POLL_INTERVAL_MS);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    /** The type mapping options of group "Types". */
    public TypeOptions typeOptions() {
        return new TypeOptions(
                TypeOptions.NumericHandling.valueOf(
                        getString(NUMERIC_UNCONSTRAINED_HANDLING).trim().toUpperCase(Locale.ROOT)),
                getInt(NUMERIC_UNCONSTRAINED_SCALE),
                TypeOptions.UnknownTypeHandling.valueOf(
                        getString(UNKNOWN_TYPE_HANDLING).trim().toUpperCase(Locale.ROOT)));
    }

    public String taskTables() {
        return getString(TASK_TABLES);
    }

    private static List<Pattern> patterns(List<String> regexes) {
        return regexes.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Pattern::compile).toList();
    }

    /** Catches a URL for another database (or a typo) before the driver gives a vaguer error. */
    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !((String) value).startsWith(JDBC_PREFIX)) {
                throw new ConfigException(name, value,
                        "must be a PostgreSQL JDBC URL starting with " + JDBC_PREFIX
                                + " such as jdbc:postgresql://localhost:5432/mydb");
            }
        }

        @Override
        public String toString() {
            return JDBC_PREFIX + "//host:port/database";
        }
    }

    /** Each entry must compile as a Java regular expression; the message shows where it does not. */
    static final class RegexListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            @SuppressWarnings("unchecked")
            List<String> regexes = (List<String>) value;
            for (String regex : regexes) {
                try {
                    Pattern.compile(regex.trim());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(name, regex,
                            "is not a valid regular expression (" + e.getDescription() + " near index "
                                    + e.getIndex() + "); escape a literal dot as \\.");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated regular expressions on schema.table";
        }
    }

    static final class NonBlankValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || ((String) value).isBlank()) {
                throw new ConfigException(name, value, "must name a column");
            }
        }

        @Override
        public String toString() {
            return "a column name";
        }
    }

    static final class ModeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String mode = value == null ? "" : ((String) value).trim();
            if (Mode.configNames().stream().noneMatch(m -> m.equalsIgnoreCase(mode))) {
                throw new ConfigException(name, value, "must be one of " + Mode.configNames());
            }
        }

        @Override
        public String toString() {
            return String.join(", ", Mode.configNames());
        }
    }

    static final class ZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                java.time.ZoneId.of(((String) value).trim());
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "is not a time zone; use a region such as Europe/Paris, "
                        + "or UTC");
            }
        }

        @Override
        public String toString() {
            return "a time zone id, e.g. UTC or Europe/Paris";
        }
    }

    static final class TableTypesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> types = (List<String>) value;
            if (types == null || types.stream().allMatch(String::isBlank)) {
                throw new ConfigException(name, value, "must name at least one of " + TableType.configNames());
            }
            for (String type : types) {
                try {
                    TableType.of(type);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, type, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return String.join(", ", TableType.configNames());
        }
    }

    static final class TableTypesRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.copyOf(TableType.configNames());
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    static final class ModeRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.copyOf(Mode.configNames());
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    private static List<String> enumValues(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** One of a fixed set of lower-case values (case and surrounding blanks ignored). */
    static final class LowerCaseChoice implements ConfigDef.Validator {
        private final List<String> choices;

        LowerCaseChoice(List<String> choices) {
            this.choices = choices;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !choices.contains(((String) value).trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "must be one of " + String.join(", ", choices));
            }
        }

        @Override
        public String toString() {
            return "one of " + String.join(", ", choices);
        }
    }

    static final class ChoiceRecommender implements ConfigDef.Recommender {
        private final List<Object> choices;

        ChoiceRecommender(List<String> choices) {
            this.choices = List.copyOf(choices);
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return choices;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}
