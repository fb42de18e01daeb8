package dev.outflow.cli.sync;

import java.util.Map;

/**
 * Where one table stands in this run.
 *
 * @param rowsRead rows read from the database and handed to the sink
 * @param rowsPublished rows now in published files and covered by the stored state
 * @param files Parquet files of the table in the output (counted at the end of each pass)
 * @param watermark the stored source offset, or null
 */
public record TableProgress(String table, String topic, long rowsRead, long rowsPublished, long files,
        Map<String, Object> watermark) {
}
