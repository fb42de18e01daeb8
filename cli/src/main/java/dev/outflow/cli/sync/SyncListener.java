package dev.outflow.cli.sync;

import java.util.List;

/** Hears what a {@link SyncEngine} does; every method has a no-op default. Called on the sync's own thread. */
public interface SyncListener {

    /** The tables were resolved and checked; reading starts. */
    default void planned(SyncPlan plan) {
    }

    /** After each page of rows was handed to the sink (and after each state store). */
    default void progress(List<TableProgress> tables) {
    }

    /** Every table was read up to its end and everything read is published and stored. */
    default void passCompleted(List<TableProgress> tables) {
    }

    /**
     * Just before a table's state is stored, after the files it covers were published. Tests throw here to
     * simulate a crash between the two.
     */
    default void beforeStateStore(String table, long nextOffset) {
    }
}
