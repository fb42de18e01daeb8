package dev.outflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a connector's {@link ConfigDef} as the Markdown configuration reference in docs/, and keeps the file in
 * step: {@link #check} fails when the doc differs from what the code defines, and rewrites it when run with
 * {@code -Doutflow.docs.update=true}.
 */
public final class ConfigDocs {

    public static final String UPDATE_PROPERTY = "outflow.docs.update";
    private static final String BEGIN = "<!-- BEGIN GENERATED CONFIG REFERENCE: do not edit by hand -->";
    private static final String END = "<!-- END GENERATED CONFIG REFERENCE -->";

    private ConfigDocs() {
    }

    /** One table per group, in definition order; internal keys are left out. */
    public static String markdown(ConfigDef def) {
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            if (!key.internalConfig) {
                byGroup.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
            }
        }
        StringBuilder md = new StringBuilder();
        byGroup.forEach((group, keys) -> {
            md.append("\n### ").append(group).append("\n\n");
            md.append("| Key | Type | Default | Valid values | Importance | Description |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : keys) {
                md.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase()).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase()).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        });
        return md.toString();
    }

    /**
     * Asserts the generated section of {@code docFile} matches the ConfigDef, or rewrites it when
     * {@value #UPDATE_PROPERTY} is set.
     */
    public static void check(ConfigDef def, Path docFile) throws IOException {
        String doc = Files.readString(docFile);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(docFile + " has no generated section; add the lines\n" + BEGIN + "\n" + END);
        }
        String expected = doc.substring(0, begin + BEGIN.length()) + "\n" + markdown(def) + "\n"
                + doc.substring(end);
        if (expected.equals(doc)) {
            return;
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(docFile, expected);
            return;
        }
        throw new AssertionError(docFile + " is out of date with the connector's ConfigDef. Regenerate it with "
                + "./mvnw -B verify -D" + UPDATE_PROPERTY + "=true and commit the result.");
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object v = key.defaultValue;
        if (v == null || v instanceof Password) {
            return "null";
        }
        String s = v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(v);
        return s.isEmpty() ? "\"\"" : "`" + s + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
