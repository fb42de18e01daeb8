package dev.outflow.sink.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class FileNamingTest {

    @Test
    void keyFollowsTheDocumentedLayoutWithPaddedStartOffset() {
        FileNaming naming = new FileNaming("topics", 10, "snappy");
        assertEquals("topics/pg.public.orders/partition=3/pg.public.orders+3+0000000042.snappy.parquet",
                naming.key("pg.public.orders", "partition=3", 3, 42));
    }

    @Test
    void anEmptyPartitionPathPutsTheFileStraightUnderTheTable() {
        assertEquals("topics/orders/orders+1+0000000007.snappy.parquet",
                new FileNaming("topics", 10, "snappy").key("orders", "", 1, 7));
    }

    @Test
    void offsetsWiderThanThePaddingAreKeptWhole() {
        FileNaming naming = new FileNaming("", 4, "snappy");
        assertEquals("t/partition=0/t+0+123456.snappy.parquet", naming.key("t", "partition=0", 0, 123456));
    }

    @Test
    void topicsDirSlashesAreNormalised() {
        assertEquals("lake/raw/t/", new FileNaming("/lake/raw/", 10, "snappy").tablePrefix("t"));
    }

    @Test
    void parseReadsBackWhatKeyWrites() {
        FileNaming naming = new FileNaming("topics", 10, "snappy");
        String name = naming.fileName("pg.public.order_items", 12, 9_876_543_210L);
        assertEquals(Optional.of(new FileNaming.ParsedName("pg.public.order_items", 12, 9_876_543_210L)),
                FileNaming.parse(name));
    }

    @Test
    void parseRejectsForeignAndPendingFiles() {
        assertTrue(FileNaming.parse("part-0001.parquet").isEmpty());
        assertTrue(FileNaming.parse(".t+0+0000000001.snappy.parquet.inprogress").isEmpty());
        assertTrue(FileNaming.parse("t+x+1.snappy.parquet").isEmpty());
    }
}
