package dev.outflow.cli.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outflow.source.query.Identifiers;
import dev.outflow.source.query.KeyColumn;
import dev.outflow.source.query.ReadPlan;
import dev.outflow.source.task.SourceOffsets;

/**
 * Counts the rows after a stored watermark, with the same row-value comparison the source's page query uses
 * ({@code (ts, tiebreaker) > (?, ?)}), for --dry-run. It ignores the source's read horizon (rows of the last
 * moments may wait for the next pass), so it can be a little higher than what the next pass reads.
 */
final class RemainingRows {

    private RemainingRows() {
    }

    static long count(Connection conn, ReadPlan plan, Map<String, Object> watermark) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(plan.table().quoted());
        List<String> values = new ArrayList<>();
        if (plan.keepsPosition() && watermark != null) {
            List<String> columns = new ArrayList<>();
            List<String> params = new ArrayList<>();
            for (KeyColumn k : plan.key()) {
                columns.add(Identifiers.quote(k.name()));
                params.add("CAST(? AS " + k.typeName() + ")");
                values.add(SourceOffsets.toText(k, watermark.get(offsetKey(k))));
            }
            sql.append(" WHERE (").append(String.join(", ", columns)).append(") > (")
                    .append(String.join(", ", params)).append(")");
        }
        try (PreparedStatement st = conn.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                st.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String offsetKey(KeyColumn k) {
        return switch (k.role()) {
            case TIMESTAMP -> SourceOffsets.TIMESTAMP_MICROS;
            case INCREMENTING -> SourceOffsets.INCREMENTING;
            default -> SourceOffsets.TIEBREAKER;
        };
    }
}
