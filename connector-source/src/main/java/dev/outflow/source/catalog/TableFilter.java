package dev.outflow.source.catalog;

import java.util.List;
import java.util.regex.Pattern;

/** Include/exclude regular expressions, each matched against the whole {@code schema.table}. */
public final class TableFilter {

    private TableFilter() {
    }

    public static boolean accepts(TableId id, List<Pattern> include, List<Pattern> exclude) {
        String name = id.qualifiedName();
        return include.stream().anyMatch(p -> p.matcher(name).matches())
                && exclude.stream().noneMatch(p -> p.matcher(name).matches());
    }
}
