package dev.outflow.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Connect's REST API as tests use it: create, stop and delete connectors, wait for states, and raw calls that
 * return every status code and body. Shared by the in-JVM {@link ConnectCluster} and the separate
 * {@link ConnectWorkerProcess}.
 *
 * <p>Calls go through the JDK's HTTP client rather than EmbeddedConnectCluster's helpers, so every status code
 * (also ones JAX-RS's Status enum lacks) and body reach the caller.
 */
public abstract class ConnectRestClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A FAILED state that lasts this long is final: a new generation of tasks would have replaced it. */
    private static final Duration FAILED_GRACE = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The worker's REST root, ending with a slash. */
    public abstract String restUrl();

    /** What a failed wait adds to its message after the status, e.g. the worker log's tail. */
    protected String failureContext() {
        return "";
    }

    /** Creates the connector, or replaces its config (PUT /connectors/{name}/config). */
    public void configureConnector(String name, Map<String, String> config) {
        restPut("/connectors/" + encode(name) + "/config", toJson(config));
    }

    /** DELETE /connectors/{name}, then waits until the worker no longer knows it (the name can be reused). */
    public void deleteConnector(String name) {
        String path = "/connectors/" + encode(name);
        restDelete(path);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        RestResponse response;
        while ((response = rest("GET", path, null)).status() != 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Connector " + name + " still there 60 s after DELETE: HTTP "
                        + response.status() + " " + response.body());
            }
            Support.sleep(100);
        }
    }

    /** PUT /connectors/{name}/stop, then waits until the connector reports STOPPED (its tasks are gone). */
    public void stopConnector(String name) {
        restPut("/connectors/" + encode(name) + "/stop", null);
        awaitStatus(name, Duration.ofSeconds(60), "STOPPED with no tasks",
                status -> "STOPPED".equals(status.path("connector").path("state").asText())
                        && status.path("tasks").isEmpty());
    }

    /** The JSON of GET /connectors/{name}/status (connector and task states, failure traces). */
    public String connectorStatus(String name) {
        return restGet("/connectors/" + encode(name) + "/status");
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are RUNNING. Fails (with the status JSON, which
     * carries the task traces) on timeout, or early once the connector or a task stays FAILED for a few seconds.
     */
    public void awaitRunning(String name, int tasks, Duration timeout) {
        awaitStatus(name, timeout, "RUNNING with " + tasks + " RUNNING task(s)", status -> {
            JsonNode taskList = status.path("tasks");
            if (!"RUNNING".equals(status.path("connector").path("state").asText()) || taskList.size() != tasks) {
                return false;
            }
            for (JsonNode task : taskList) {
                if (!"RUNNING".equals(task.path("state").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    private void awaitStatus(String name, Duration timeout, String wanted, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long failedSince = 0;
        String last = "(no status yet)";
        while (true) {
            RestResponse response = rest("GET", "/connectors/" + encode(name) + "/status", null);
            if (response.status() == 200) {
                last = response.body();
                JsonNode status = parse(last);
                if (done.test(status)) {
                    return;
                }
                if (hasFailed(status)) {
                    failedSince = failedSince == 0 ? System.nanoTime() : failedSince;
                    if (System.nanoTime() - failedSince > FAILED_GRACE.toNanos()) {
                        throw new AssertionError("Connector " + name + " FAILED while waiting for it to be "
                                + wanted + ". Status: " + pretty(status) + failureContext());
                    }
                } else {
                    failedSince = 0;
                }
            } else {
                last = "HTTP " + response.status() + " " + response.body(); // e.g. 404 until the config lands
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Connector " + name + " not " + wanted + " within " + timeout
                        + ". Last status: " + prettyIfJson(last) + failureContext());
            }
            Support.sleep(250);
        }
    }

    private static boolean hasFailed(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return true;
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    // ---- raw REST -------------------------------------------------------------------------------------------

    /** Status code and body of a REST call, for tests that expect an error. */
    public record RestResponse(int status, String body) {
    }

    /** Any REST call; {@code path} is relative to the worker root, e.g. "/connectors". Never throws on status. */
    public RestResponse rest(String method, String path, String jsonBody) {
        String url = restUrl() + (path.startsWith("/") ? path.substring(1) : path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(90)) // a worker rebalancing can hold requests for a while
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new RestResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + url, e);
        }
    }

    public String restGet(String path) {
        return expectSuccess("GET", path, null);
    }

    public String restPut(String path, String jsonBody) {
        return expectSuccess("PUT", path, jsonBody);
    }

    public String restPatch(String path, String jsonBody) {
        return expectSuccess("PATCH", path, jsonBody);
    }

    public String restDelete(String path) {
        return expectSuccess("DELETE", path, null);
    }

    private String expectSuccess(String method, String path, String jsonBody) {
        RestResponse response = rest(method, path, jsonBody);
        if (response.status() < 200 || response.status() > 299) {
            throw new AssertionError(method + " " + path + " returned HTTP " + response.status() + ": "
                    + response.body() + (jsonBody == null ? "" : "\nRequest body: " + jsonBody));
        }
        return response.body();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private static String prettyIfJson(String text) {
        try {
            return pretty(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            return text;
        }
    }


}
