package dev.larder.testing;

import static dev.larder.testing.TcpProxyTest.SILENCE_MILLIS;
import static dev.larder.testing.TcpProxyTest.readLine;
import static dev.larder.testing.TcpProxyTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test's own redis-server: pause and resume, and ports that are never reused. */
class RedisServerTest {

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
    void aPausedRedisServerAnswersNothingUntilResumed() throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
            client.setSoTimeout(SILENCE_MILLIS);
            redis.pause();
            try {
                send(client, "PING");
                assertThatThrownBy(() -> readLine(client)).isInstanceOf(SocketTimeoutException.class);
            } finally {
                redis.resume();
            }
            assertThat(readLine(client)).isEqualTo("+PONG");
        }
    }

    @Test
    void aPortIsNeverHandedOutTwiceEvenWhenTheSystemOffersItAgain() {
        int first = RedisServer.freePort();
        int[] offers = {first, redis.port(), first};
        int[] next = {0};
        int second = RedisServer.fresh(() -> next[0] < offers.length ? offers[next[0]++] : 1);

        assertThat(second).isEqualTo(1).isNotIn(first, redis.port());
    }

    @Test
    void aPausedServerCanStillBeStopped() throws Exception {
        try (RedisServer paused = RedisServer.start()) {
            paused.pause();
            paused.stop();
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), paused.port()).close())
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
