package dev.outflow.cli.state;

import java.util.Map;

/** One record handed to the sink: its synthetic offset and the source offset it carried (null in bulk mode). */
public record JournalEntry(String topic, long offset, Map<String, Object> source) {
}
