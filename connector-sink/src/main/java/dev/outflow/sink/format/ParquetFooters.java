package dev.outflow.sink.format;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;

/** Reads back what {@link ParquetRecordWriter} put in a file's footer. */
public final class ParquetFooters {

    private ParquetFooters() {
    }

    /** The last Kafka offset the file holds, or empty when the footer does not say (a file not written by us). */
    public static OptionalLong endOffset(InputFile file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            Map<String, String> meta = reader.getFooter().getFileMetaData().getKeyValueMetaData();
            String end = meta.get(ParquetRecordWriter.META_END_OFFSET);
            return end == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(end));
        }
    }
}
