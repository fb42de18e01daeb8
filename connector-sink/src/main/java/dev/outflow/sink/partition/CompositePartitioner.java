package dev.outflow.sink.partition;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.connect.sink.SinkRecord;

/** Joins the paths of several partitioners: fields first, then time, e.g. {@code region=eu/year=2026/month=02}. */
public final class CompositePartitioner implements Partitioner {

    private final List<Partitioner> parts;

    public CompositePartitioner(List<Partitioner> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public String encodePartition(SinkRecord record) {
        return parts.stream().map(p -> p.encodePartition(record)).collect(Collectors.joining("/"));
    }
}
