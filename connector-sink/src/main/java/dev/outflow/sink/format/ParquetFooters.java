package dev.outflow.sink.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads back what {@link ParquetRecordWriter} put in a file's footer. Parses the footer with parquet-format's own
 * reader rather than {@code ParquetFileReader}, whose option builder needs Hadoop's mapreduce classes, which we do
 * not ship.
 */
public final class ParquetFooters {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAIL = 8; // 4-byte little-endian footer length, then the magic

    private ParquetFooters() {
    }

    /** The outflow key/value metadata of a file's footer (empty for a file not written by outflow). */
    public static Map<String, String> outflowMetadata(InputFile file) throws IOException {
        FileMetaData meta = readFooter(file);
        Map<String, String> out = new HashMap<>();
        if (meta.getKey_value_metadata() != null) {
            for (KeyValue kv : meta.getKey_value_metadata()) {
                if (kv.getKey().startsWith("outflow.") && kv.getValue() != null) {
                    out.put(kv.getKey(), kv.getValue());
                }
            }
        }
        return out;
    }

    static FileMetaData readFooter(InputFile file) throws IOException {
        long length = file.getLength();
        if (length < MAGIC.length + TAIL) {
            throw new IOException("not a Parquet file (only " + length + " bytes)");
        }
        try (SeekableInputStream in = file.newStream()) {
            in.seek(length - TAIL);
            byte[] tail = new byte[TAIL];
            in.readFully(tail);
            for (int i = 0; i < MAGIC.length; i++) {
                if (tail[4 + i] != MAGIC[i]) {
                    throw new IOException("not a Parquet file (no PAR1 footer magic)");
                }
            }
            int footerLength = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (footerLength <= 0 || footerLength > length - TAIL - MAGIC.length) {
                throw new IOException("corrupt Parquet footer length " + footerLength);
            }
            in.seek(length - TAIL - footerLength);
            return Util.readFileMetaData(in);
        }
    }
}
