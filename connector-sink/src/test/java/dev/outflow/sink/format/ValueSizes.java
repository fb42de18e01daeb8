package dev.outflow.sink.format;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * The reference size estimate: the bytes an Avro value occupies once buffered by a Parquet writer, by a second
 * walk of the converted value. {@link RecordConverter} folds the same estimate into its conversion; this is the
 * oracle RecordConverterTest compares it against.
 */
final class ValueSizes {

    private ValueSizes() {
    }

    static long estimate(GenericRecord record) {
        return estimateValue(record);
    }

    private static long estimateValue(Object v) {
        if (v == null) {
            return 1;
        }
        if (v instanceof CharSequence s) {
            return 4L + s.length();
        }
        if (v instanceof ByteBuffer b) {
            return 4L + b.remaining();
        }
        if (v instanceof byte[] b) {
            return 4L + b.length;
        }
        if (v instanceof IndexedRecord r) {
            long total = 0;
            for (int i = 0; i < r.getSchema().getFields().size(); i++) {
                total += estimateValue(r.get(i));
            }
            return total;
        }
        if (v instanceof Collection<?> c) {
            long total = 4;
            for (Object e : c) {
                total += estimateValue(e);
            }
            return total;
        }
        if (v instanceof Map<?, ?> m) {
            long total = 4;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                total += estimateValue(e.getKey()) + estimateValue(e.getValue());
            }
            return total;
        }
        return 8; // numbers, booleans, enums
    }
}
