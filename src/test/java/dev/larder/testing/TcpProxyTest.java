package dev.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real redis-server, spoken to in raw RESP so that nothing retries or times out on its own. */
class TcpProxyTest {

    /** How long a stalled PING must stay unanswered. */
    static final int SILENCE_MILLIS = 500;

    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    @Test
    void forwardsRequestsAndAnswers() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(redis.port()); Socket client = connect(proxy)) {
            assertThat(proxy.port()).isNotEqualTo(redis.port());
            assertThat(ping(client)).isEqualTo("+PONG");
            assertThat(ping(client)).isEqualTo("+PONG");
        }
    }

    @Test
    void aStalledProxyKeepsTheConnectionOpenAnswersNothingAndDeliversTheHeldBytesOnResume() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(redis.port()); Socket client = connect(proxy)) {
            assertThat(ping(client)).isEqualTo("+PONG");

            proxy.stall();
            send(client, "PING");
            assertThatThrownBy(() -> readLine(client)).isInstanceOf(SocketTimeoutException.class);

            proxy.resume();
            assertThat(readLine(client)).as("the PING sent during the stall").isEqualTo("+PONG");
            assertThat(ping(client)).isEqualTo("+PONG");
        }
    }

    @Test
    void aConnectionOpenedDuringAStallIsAcceptedButServedOnlyAfterResume() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(redis.port())) {
            proxy.stall();
            try (Socket client = connect(proxy)) {
                send(client, "PING");
                assertThatThrownBy(() -> readLine(client)).isInstanceOf(SocketTimeoutException.class);

                proxy.resume();
                assertThat(readLine(client)).isEqualTo("+PONG");
            }
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(SILENCE_MILLIS);
        return socket;
    }

    static String ping(Socket client) throws IOException {
        send(client, "PING");
        return readLine(client);
    }

    static void send(Socket client, String inlineCommand) throws IOException {
        client.getOutputStream().write((inlineCommand + "\r\n").getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
    }

    /** One RESP line without its CRLF; throws SocketTimeoutException after {@link #SILENCE_MILLIS} of silence. */
    static String readLine(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
