package dev.larder.kit.sessions.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.testing.RedisServer;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The session request wrapper on a real redis-server. The servlet request and response are
 * minimal stand-ins (cookies in, cookies out): what is under test is the session life cycle.
 */
class SessionRequestTest {

    static final SessionSettings SETTINGS = new SessionSettings(Duration.ofMinutes(5), "LARDER_SESSION", true, true, "Strict", 4096);

    static RedisServer redis;
    static RedissonClient client;
    static SessionStore store;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        client = redis.client("dev.larder.", "java.lang.");
        store = new SessionStore(client);
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdown();
        redis.close();
    }

    /** One request: the cookies it sends, the cookies it got back. */
    static final class Exchange {
        final List<Cookie> sent = new ArrayList<>();
        final List<Cookie> received = new ArrayList<>();
        final SessionRequest request;

        Exchange(String sessionId) {
            if (sessionId != null) {
                sent.add(new Cookie("LARDER_SESSION", sessionId));
            }
            HttpServletRequest raw = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getCookies" -> sent.isEmpty() ? null : sent.toArray(Cookie[]::new);
                        case "getContextPath" -> "";
                        default -> null;
                    });
            HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServletResponse.class}, (proxy, method, args) -> {
                        if (method.getName().equals("addCookie")) {
                            received.add((Cookie) args[0]);
                        }
                        return null;
                    });
            request = new SessionRequest(raw, response, store, SETTINGS, new RedisBreaker(() -> true, java.time.Duration.ofMillis(100)));
        }

        String newId() {
            return received.get(received.size() - 1).getValue();
        }
    }

    @Test
    void aRequestThatNeverAsksWritesNothing() {
        long keys = client.getKeys().count();
        Exchange exchange = new Exchange(null);
        exchange.request.commit();

        assertThat(client.getKeys().count()).isEqualTo(keys);
        assertThat(exchange.received).isEmpty();
    }

    @Test
    void aNewSessionSetsAFlaggedCookieAndIsReadByTheNextRequest() {
        Exchange first = new Exchange(null);
        first.request.getSession().setAttribute("greeting", "hello");
        first.request.commit();

        Cookie cookie = first.received.get(0);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSecure()).isTrue();
        assertThat(cookie.getAttribute("SameSite")).isEqualTo("Strict");
        assertThat(cookie.getMaxAge()).isEqualTo(300);

        Exchange second = new Exchange(cookie.getValue());
        assertThat(second.request.getSession(false).getAttribute("greeting")).isEqualTo("hello");
        assertThat(second.request.isRequestedSessionIdValid()).isTrue();
    }

    @Test
    void changingTheIdKeepsTheAttributesAndKillsTheOldId() {
        Exchange first = new Exchange(null);
        first.request.getSession().setAttribute("cart", "3 jars");
        first.request.commit();
        String oldId = first.newId();

        Exchange login = new Exchange(oldId);
        login.request.getSession();
        String newId = login.request.changeSessionId();
        login.request.commit();

        assertThat(newId).isNotEqualTo(oldId).isEqualTo(login.newId());
        assertThat(new Exchange(oldId).request.getSession(false)).isNull();
        assertThat(new Exchange(newId).request.getSession(false).getAttribute("cart")).isEqualTo("3 jars");
    }

    @Test
    void invalidateDeletesTheStateAndExpiresTheCookie() {
        Exchange first = new Exchange(null);
        first.request.getSession().setAttribute("a", "b");
        first.request.commit();
        String id = first.newId();

        Exchange logout = new Exchange(id);
        logout.request.getSession().invalidate();
        logout.request.commit();

        assertThat(client.getKeys().countExists(SessionStore.PREFIX + id)).isZero();
        assertThat(logout.received.get(0).getMaxAge()).isZero();
        assertThat(new Exchange(id).request.getSession(false)).isNull();
    }

    @Test
    void aForgedOrUnknownIdNeverReachesAnotherSession() {
        assertThat(new Exchange("../../etc/passwd").request.getSession(false)).isNull();
        assertThat(new Exchange(SessionStore.newId()).request.getSession(false)).isNull();
    }
}
