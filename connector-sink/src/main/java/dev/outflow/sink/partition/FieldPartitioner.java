package dev.outflow.sink.partition;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.connect.sink.SinkRecord;

/** One directory level per configured field: {@code region=eu/status=paid}. */
public final class FieldPartitioner implements Partitioner {

    private final List<String> fields;

    public FieldPartitioner(List<String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("at least one field is needed");
        }
        this.fields = List.copyOf(fields);
    }

    @Override
    public String encodePartition(SinkRecord record) {
        return fields.stream()
                .map(f -> PathValues.segment(lastSegment(f), RecordFields.value(record, f)))
                .collect(Collectors.joining("/"));
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
