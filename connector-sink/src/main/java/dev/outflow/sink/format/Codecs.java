package dev.outflow.sink.format;

import java.util.List;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** The Parquet codecs offered by parquet.codec, and the tag each puts in file names. */
public final class Codecs {

    public static final List<String> NAMES = List.of("snappy", "zstd", "gzip", "none");

    private Codecs() {
    }

    public static CompressionCodecName codec(String name) {
        return switch (name) {
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "gzip" -> CompressionCodecName.GZIP;
            case "none" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new IllegalArgumentException("unknown codec " + name);
        };
    }

    /** The codec tag of a file name: {@code orders+0+0000000000.<tag>.parquet}. */
    public static String fileTag(String name) {
        return "none".equals(name) ? "uncompressed" : name;
    }
}
