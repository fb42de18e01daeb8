package dev.outflow.source.query;

import java.util.List;
import java.util.Optional;

import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.Mode;

/**
 * How one table is read: its mode as resolved for this table (never {@link Mode#AUTO}), and the key it is paged by.
 *
 * @param table  the table
 * @param mode   the resolved mode
 * @param key    the paging key, in order; for the timestamp modes the timestamp column comes first
 * @param reason why this mode and key, in words, for logs and validation output
 */
public record ReadPlan(TableId table, Mode mode, List<KeyColumn> key, String reason) {

    public ReadPlan {
        key = List.copyOf(key);
    }

    /** The timestamp column of the timestamp modes. */
    public Optional<KeyColumn> timestamp() {
        return key.stream().filter(k -> k.role() == KeyColumn.Role.TIMESTAMP).findFirst();
    }

    /** Whether the position survives restarts (every mode but bulk). */
    public boolean keepsPosition() {
        return mode != Mode.BULK;
    }

    /** One line for logs, e.g. {@code timestamp on ("updated_at", "id")}. */
    public String describe() {
        return mode + " on (" + String.join(", ", key.stream().map(k -> "\"" + k.name() + "\"").toList()) + ")";
    }
}
