package dev.larder.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command to a Redis server or Sentinel on 127.0.0.1, over a connection of its own, in RESP2:
 * what tests need to steer servers without a client library (replies: {@code String} for simple
 * and bulk strings, {@code Long}, {@code List<Object>}, null; an error reply is thrown as
 * {@link ErrorReply}). Each call opens and closes a socket and waits at most 5 s for the answer.
 */
public final class Resp {

    private static final int TIMEOUT_MILLIS = 5_000;

    private Resp() {
    }

    /** An error reply from the server, e.g. {@code NOGOODSLAVE No suitable replica to promote}. */
    public static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message);
        }
    }

    public static Object call(int port, String... command) {
        return onOneConnection(port, List.<String[]>of(command)).get(0);
    }

    /**
     * Several commands, one after the other on one connection (what per-connection commands such as
     * {@code WAIT} need), and their replies; an error reply is thrown.
     */
    public static List<Object> onOneConnection(int port, List<String[]> commands) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Object> replies = new ArrayList<>();
            for (String[] command : commands) {
                out.write(encode(command));
                out.flush();
                replies.add(read(in));
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + String.join(" ", commands.get(0)), e);
        }
    }

    /** A command answered with a string (simple or bulk); null for a null reply. */
    public static String string(int port, String... command) {
        Object reply = call(port, command);
        return reply == null ? null : reply.toString();
    }

    /** {@code INFO <section>} as a map of its {@code field:value} lines. */
    public static Map<String, String> info(int port, String section) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : string(port, "INFO", section).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /** A reply that is a flat list of names and values (Sentinel's instance lists) as a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> pairs(Object reply) {
        List<Object> flat = (List<Object>) reply;
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    private static byte[] encode(String... command) {
        StringBuilder text = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            text.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP2 reply: " + (char) type + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            bytes.write(b);
        }
        in.read(); // '\n'
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
