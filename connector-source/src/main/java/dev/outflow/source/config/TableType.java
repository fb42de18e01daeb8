package dev.outflow.source.config;

import java.util.Arrays;
import java.util.List;

/** Kinds of relation the connector may read, with their {@code pg_class.relkind} codes. */
public enum TableType {
    /** Ordinary tables and partitioned tables (read through the parent, never partition by partition). */
    TABLE("TABLE", "rp"),
    VIEW("VIEW", "v"),
    MATERIALIZED_VIEW("MATERIALIZED VIEW", "m"),
    FOREIGN_TABLE("FOREIGN TABLE", "f");

    private final String configName;
    private final String relkinds;

    TableType(String configName, String relkinds) {
        this.configName = configName;
        this.relkinds = relkinds;
    }

    public String configName() {
        return configName;
    }

    /** The {@code relkind} letters this type covers. */
    public String relkinds() {
        return relkinds;
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(TableType::configName).toList();
    }

    public static TableType of(String configName) {
        String wanted = configName.trim().replace('_', ' ');
        return Arrays.stream(values()).filter(t -> t.configName.equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown table type \"" + configName
                        + "\"; one of " + configNames()));
    }
}
