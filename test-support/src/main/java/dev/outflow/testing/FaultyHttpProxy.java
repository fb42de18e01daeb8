package dev.outflow.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A loopback HTTP/1.1 forwarder to put in front of an S3 endpoint that fails requests on purpose: HTTP 500 or
 * 503 SlowDown answers, connections dropped before the request reaches the server or after it was carried out
 * (so the client never learns it succeeded), answers that never come, and a 200 whose body is an S3 error (what
 * S3 does when a CompleteMultipartUpload fails after its headers went out). A policy chooses the fault for each
 * request; every exchange is recorded for assertions (e.g. that a footer was read with ranged GETs).
 *
 * <p>One request per connection: the forwarded request and every answer carry {@code Connection: close}, which
 * keeps the parsing trivial. {@code Expect: 100-continue} is answered here and not forwarded, so a request is
 * wholly read before its fault is chosen.
 */
public final class FaultyHttpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultyHttpProxy.class);

    /** What happens to one request. */
    public enum Fault {
        /** Forwarded, answer passed back. */
        NONE,
        /** Not forwarded; answered 500 InternalError. */
        HTTP_500,
        /** Not forwarded; answered 503 SlowDown. */
        HTTP_503,
        /** Not forwarded; the connection is closed without an answer. */
        DROP_BEFORE,
        /** Forwarded and carried out by the server; the connection is then closed without passing the answer on. */
        DROP_AFTER,
        /** Not forwarded; no answer until the client gives up (the connection is held for {@link #stallMillis}). */
        STALL,
        /** Forwarded and carried out; answered 200 with an InternalError body instead of the real answer. */
        ERROR_IN_200,
        /**
         * Not forwarded; answered 404 NoSuchUpload, as S3 answers a CompleteMultipartUpload retried after the
         * upload completed (S3Proxy completes it again instead).
         */
        NO_SUCH_UPLOAD
    }

    /** The parts of a request a policy decides by. {@code target} is the request-target (path and query). */
    public record Request(String method, String target, Map<String, String> headers) {
        /** The S3 operation, inferred from method and query: "UploadPart", "CompleteMultipartUpload" ... */
        public String operation() {
            String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
            boolean uploadId = query.contains("uploadId=");
            return switch (method) {
                case "POST" -> query.matches("(.*&)?uploads(=[^&]*)?(&.*)?") ? "CreateMultipartUpload"
                        : uploadId ? "CompleteMultipartUpload" : "Post";
                case "PUT" -> uploadId ? "UploadPart" : "PutObject";
                case "DELETE" -> uploadId ? "AbortMultipartUpload" : "DeleteObject";
                case "HEAD" -> "HeadObject";
                case "GET" -> query.matches("(.*&)?uploads(=[^&]*)?(&.*)?") ? "ListMultipartUploads"
                        : query.contains("list-type=2") ? "ListObjectsV2"
                        : uploadId ? "ListParts" : "GetObject";
                default -> method;
            };
        }

        /** A header's value (names compare case-insensitively), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One request and what became of it; {@code status} is what the client saw (-1: no answer). */
    public record Exchange(Request request, Fault fault, int status, int responseBytes) {
    }

    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-http-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Exchange> exchanges = new ArrayList<>();
    private volatile Function<Request, Fault> policy = r -> Fault.NONE;
    private volatile long stallMillis = 5_000;

    private FaultyHttpProxy(ServerSocket server, URI upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Starts forwarding from a free loopback port to {@code upstream} (http://host:port). */
    public static FaultyHttpProxy start(URI upstream) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FaultyHttpProxy proxy = new FaultyHttpProxy(server, upstream);
            proxy.pool.execute(proxy::acceptLoop);
            log.info("Fault-injecting proxy at {} in front of {}", proxy.endpoint(), upstream);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the fault-injecting proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Chooses the fault for each request from now on. */
    public FaultyHttpProxy policy(Function<Request, Fault> policy) {
        this.policy = policy;
        return this;
    }

    /** How long a {@link Fault#STALL} holds the connection before closing it. */
    public FaultyHttpProxy stallMillis(long millis) {
        this.stallMillis = millis;
        return this;
    }

    /** No faults. */
    public static Function<Request, Fault> none() {
        return r -> Fault.NONE;
    }

    /** Every request gets {@code fault}. */
    public static Function<Request, Fault> always(Fault fault) {
        return r -> fault;
    }

    /**
     * Fails a share {@code rate} of requests, with the given faults in turn (seeded, so a run can be repeated);
     * {@link Fault#ERROR_IN_200} is only used on CompleteMultipartUpload, where S3 really does it.
     */
    public static Function<Request, Fault> random(long seed, double rate, Fault... faults) {
        Random random = new Random(seed);
        return r -> {
            synchronized (random) {
                if (random.nextDouble() >= rate) {
                    return Fault.NONE;
                }
                Fault f = faults[random.nextInt(faults.length)];
                return f == Fault.ERROR_IN_200 && !r.operation().equals("CompleteMultipartUpload") ? Fault.HTTP_500
                        : f;
            }
        };
    }

    /**
     * The first request of each operation named in {@code first} gets the fault named there (so every one of them
     * certainly happens); all other requests are left to {@code otherwise}.
     */
    public static Function<Request, Fault> firstOfEach(Map<String, Fault> first, Function<Request, Fault> otherwise) {
        java.util.Set<String> done = new java.util.HashSet<>();
        return r -> {
            Fault planned = first.get(r.operation());
            synchronized (done) {
                if (planned != null && done.add(r.operation())) {
                    return planned;
                }
            }
            return otherwise.apply(r);
        };
    }

    /** Every exchange so far, oldest first. */
    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** How many requests got each fault so far. */
    public Map<Fault, Integer> faultCounts() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        for (Exchange e : exchanges()) {
            counts.merge(e.fault(), 1, Integer::sum);
        }
        return counts;
    }

    public void clearExchanges() {
        synchronized (exchanges) {
            exchanges.clear();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> handle(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("Proxy accept failed", e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return; // the client opened a connection and closed it again
            }
            String[] requestLine = head.get(0).split(" ", 3);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            Request request = new Request(requestLine[0], requestLine[1], headers);
            if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = readBody(in, request);
            Fault fault = policy.apply(request);
            switch (fault) {
                case HTTP_500 -> answer(request, fault, out, 500, "Internal Server Error", "InternalError");
                case HTTP_503 -> answer(request, fault, out, 503, "Slow Down", "SlowDown");
                case NO_SUCH_UPLOAD -> answer(request, fault, out, 404, "Not Found", "NoSuchUpload");
                case DROP_BEFORE -> record(request, fault, -1, 0);
                case STALL -> {
                    record(request, fault, -1, 0);
                    Thread.sleep(stallMillis);
                }
                default -> {
                    byte[] response = forward(head, body);
                    int status = status(response);
                    if (fault == Fault.DROP_AFTER) {
                        record(request, fault, -1, 0);
                    } else if (fault == Fault.ERROR_IN_200) {
                        answer(request, fault, out, 200, "OK", "InternalError");
                    } else {
                        record(request, fault, status, response.length);
                        out.write(response);
                        out.flush();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("Proxy connection ended: {}", e.toString()); // the client gave up (e.g. after a stall)
        } catch (IOException e) {
            log.warn("Proxy exchange failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(Request request, Fault fault, int status, int bytes) {
        synchronized (exchanges) {
            exchanges.add(new Exchange(request, fault, status, bytes));
        }
        if (fault != Fault.NONE) {
            log.info("Injected {} into {} {}", fault, request.operation(), request.target());
        }
    }

    /** Records, then sends, an S3 error answer (headers only for a HEAD request, as HTTP wants). */
    private void answer(Request request, Fault fault, OutputStream out, int status, String reason, String code)
            throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>injected by FaultyHttpProxy</Message><RequestId>fault</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        boolean head = request.method().equals("HEAD");
        record(request, fault, status, head ? 0 : body.length);
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    /** Sends the request upstream with {@code Connection: close} (and without Expect) and reads the whole answer. */
    private byte[] forward(List<String> head, byte[] body) throws IOException {
        try (Socket socket = new Socket(upstream.getHost(), upstream.getPort())) {
            StringBuilder sb = new StringBuilder(head.get(0)).append("\r\n");
            for (String line : head.subList(1, head.size())) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("connection") && !name.equals("expect") && !name.equals("keep-alive")) {
                    sb.append(line).append("\r\n");
                }
            }
            sb.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    private static int status(byte[] response) {
        String text = new String(response, 0, Math.min(response.length, 64), StandardCharsets.ISO_8859_1);
        String[] parts = text.split(" ", 3);
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1].trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The request line and header lines, without the blank line; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** The body as sent (still chunk-encoded if it was), so it can be forwarded byte for byte. */
    private static byte[] readBody(InputStream in, Request request) throws IOException {
        String length = request.header("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        if (!"chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
            return new byte[0];
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("Chunked body ended early");
            }
            raw.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    raw.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                raw.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return raw.toByteArray();
            }
            raw.write(in.readNBytes(size));
            raw.write((readLine(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Could not close the proxy's socket", e);
        }
        pool.shutdownNow();
    }
}
