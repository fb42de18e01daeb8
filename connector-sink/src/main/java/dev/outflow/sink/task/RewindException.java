package dev.outflow.sink.task;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Writing failed in a way that lost records held in memory (the open files were abandoned): the partition must be
 * read again from {@link #from()}. The task seeks there and carries on; nothing is lost or written twice.
 */
final class RewindException extends RetriableException {
    private final TopicPartition tp;
    private final long from;

    RewindException(TopicPartition tp, long from, Throwable cause) {
        super(tp + ": writing failed (" + cause.getMessage() + "); reading again from offset " + from, cause);
        this.tp = tp;
        this.from = from;
    }

    TopicPartition tp() {
        return tp;
    }

    long from() {
        return from;
    }
}
