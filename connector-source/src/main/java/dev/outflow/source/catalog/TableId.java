package dev.outflow.source.catalog;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.outflow.source.query.Identifiers;

/** A table by schema and name, exactly as PostgreSQL spells them (case and all). */
public record TableId(String schema, String table) implements Comparable<TableId> {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** {@code schema.table}, unquoted: what include/exclude patterns and topic names are built from. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    /** {@code "schema"."table"}, safe to put in SQL whatever the names contain. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    @Override
    public String toString() {
        return qualifiedName();
    }

    @Override
    public int compareTo(TableId other) {
        int c = schema.compareTo(other.schema);
        return c != 0 ? c : table.compareTo(other.table);
    }

    /**
     * Encodes a list of tables into one config string. Names may contain dots, commas and any other character,
     * so each part is percent-encoded before joining.
     */
    public static String encodeAll(List<TableId> tables) {
        return tables.stream()
                .map(t -> enc(t.schema) + "." + enc(t.table))
                .collect(Collectors.joining(","));
    }

    public static List<TableId> decodeAll(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return List.of();
        }
        return Arrays.stream(encoded.split(","))
                .map(part -> {
                    int dot = part.indexOf('.');
                    if (dot < 0) {
                        throw new IllegalArgumentException("not an encoded table id: " + part);
                    }
                    return new TableId(dec(part.substring(0, dot)), dec(part.substring(dot + 1)));
                })
                .toList();
    }

    private static String enc(String s) {
        // URLEncoder leaves '.' alone, but it is our separator.
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace(".", "%2E");
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
