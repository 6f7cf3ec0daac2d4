package dev.larder.kit.sessions.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.kit.redis.control.CodecErrors;
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
        int cookieReads;
        final SessionRequest request;

        Exchange(String sessionId) {
            this(sessionId, store, new RedisBreaker(() -> true, java.time.Duration.ofMillis(100)));
        }

        Exchange(String sessionId, SessionStore sessions, RedisBreaker breaker) {
            if (sessionId != null) {
                sent.add(new Cookie("LARDER_SESSION", sessionId));
            }
            HttpServletRequest raw = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getCookies" -> {
                            cookieReads++;
                            yield sent.isEmpty() ? null : sent.toArray(Cookie[]::new);
                        }
                        case "getAttribute" -> "the container's " + args[0];
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
            request = new SessionRequest(raw, response, sessions, SETTINGS, breaker);
        }

        String newId() {
            return received.get(received.size() - 1).getValue();
        }
    }

    @Test
    void aRequestThatNeverAsksForItsSessionParsesNoCookieAndFindsTheWrapperAsItsAttribute() {
        Exchange exchange = new Exchange(SessionStore.newId());

        assertThat(exchange.request.getAttribute(SessionRequest.ATTRIBUTE)).isSameAs(exchange.request);
        assertThat(exchange.request.getAttribute("other")).isEqualTo("the container's other");
        assertThat(exchange.cookieReads).as("cookies are parsed on first use only").isZero();
        exchange.request.commit();
        assertThat(exchange.cookieReads).isZero();
        assertThat(exchange.received).isEmpty();

        assertThat(exchange.request.getSession(false)).as("an unknown id finds no session").isNull();
        assertThat(exchange.cookieReads).isEqualTo(1);
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

    static String storedSession(String name, Object value) {
        Exchange first = new Exchange(null);
        first.request.getSession().setAttribute(name, value);
        first.request.commit();
        return first.newId();
    }

    static boolean exists(String id) {
        return client.getKeys().countExists(SessionStore.PREFIX + id) == 1;
    }

    @Test
    void concurrentRequestsThatChangeDifferentAttributesAllSurvive() {
        String id = storedSession("cart:1", 1);
        Exchange one = new Exchange(id);
        Exchange two = new Exchange(id);
        one.request.getSession().setAttribute("cart:2", 2);
        two.request.getSession().setAttribute("cart:3", 3);
        two.request.getSession().removeAttribute("cart:1");

        one.request.commit();
        two.request.commit();

        assertThat(store.load(id)).containsEntry("cart:2", 2).containsEntry("cart:3", 3).doesNotContainKey("cart:1");
    }

    @Test
    void aRequestInFlightWhenAnotherInvalidatesLeavesNoSessionKey() {
        String id = storedSession("cart:1", 1);
        Exchange inFlight = new Exchange(id);
        inFlight.request.getSession().setAttribute("cart:2", 2); // loaded before the logout

        Exchange logout = new Exchange(id);
        logout.request.getSession().invalidate();
        logout.request.commit();
        inFlight.request.commit();
        inFlight.request.commit(); // the end of the request, after the body: nothing either

        assertThat(exists(id)).isFalse();
        assertThat(inFlight.received).as("the cookie of the session that ended is left alone").isEmpty();
    }

    @Test
    void aRequestInFlightWhenAnotherRotatesWritesNeitherId() {
        String id = storedSession("cart:1", 1);
        Exchange inFlight = new Exchange(id);
        inFlight.request.getSession().setAttribute("cart:2", 2);

        Exchange login = new Exchange(id);
        login.request.getSession();
        String newId = login.request.changeSessionId();
        login.request.commit();
        inFlight.request.commit();

        assertThat(exists(id)).isFalse();
        assertThat(store.load(newId)).containsEntry("cart:1", 1).doesNotContainKey("cart:2");
    }

    @Test
    void rotatingASessionAnotherRequestEndedFailsAndWritesNothing() {
        String id = storedSession("cart:1", 1);
        Exchange late = new Exchange(id);
        late.request.getSession();
        Exchange logout = new Exchange(id);
        logout.request.getSession().invalidate();
        long keys = client.getKeys().count();

        assertThatThrownBy(late.request::changeSessionId).isInstanceOf(IllegalStateException.class);
        late.request.commit();

        assertThat(client.getKeys().count()).isEqualTo(keys);
        assertThat(late.request.getSession(false)).isNull();
    }

    @Test
    void invalidatingAfterARotationDeletesTheNewId() {
        String id = storedSession("cart:1", 1);
        Exchange exchange = new Exchange(id);
        exchange.request.getSession();
        String newId = exchange.request.changeSessionId();

        exchange.request.getSession().invalidate();
        exchange.request.commit();

        assertThat(exists(id)).isFalse();
        assertThat(exists(newId)).isFalse();
    }

    @Test
    void aNewSessionRotatedBeforeItsFirstSaveIsStoredOnlyUnderItsLastId() {
        Exchange exchange = new Exchange(null);
        exchange.request.getSession().setAttribute("cart:1", 1);
        String firstId = exchange.request.getSession().getId();

        String newId = exchange.request.changeSessionId();
        exchange.request.commit();

        assertThat(exists(firstId)).isFalse();
        assertThat(store.load(newId)).containsEntry("cart:1", 1);
        assertThat(exchange.newId()).isEqualTo(newId);
    }

    @Test
    void aCommitThatFindsRedisUnavailableThrowsOnceNotAgainAtTheEndOfTheRequest() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedissonClient ownClient = own.client("dev.larder.", "java.lang.");
            try {
                SessionStore ownStore = new SessionStore(ownClient);
                RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10)); // stays open
                Exchange exchange = new Exchange(null, ownStore, breaker);
                exchange.request.getSession().setAttribute("cart:1", 1);

                own.pause();
                try {
                    assertThatThrownBy(exchange.request::commit).isInstanceOf(SessionUnavailableException.class);
                    exchange.request.commit(); // when the body opens or the request ends: no second failure
                } finally {
                    own.resume();
                    breaker.close();
                }
            } finally {
                ownClient.shutdown();
            }
        }
    }

    /** SEVERE lines of {@code CodecErrors} while {@code work} runs. */
    static List<String> codecErrorLines(ThrowingRunnable work) throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CodecErrors.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel() == java.util.logging.Level.SEVERE) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            work.run();
        } finally {
            logger.removeHandler(handler);
        }
        return lines;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void anAttributeTheCodecCannotReadIsLeftOutCountedAndLoggedOnceWhileRedisStaysInUse() throws Exception {
        CodecErrors codecErrors = new CodecErrors();
        SessionStore counted = new SessionStore(client, codecErrors);
        String id = storedSession("greeting", "hello");
        client.getMap(SessionStore.PREFIX + id, org.redisson.client.codec.StringCodec.INSTANCE)
                .put("renamed", "{\"@type\":\"com.example.RenamedAfterADeploy\",\"value\":{}}");
        RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10));
        List<Object> seen = new ArrayList<>();

        List<String> logged = codecErrorLines(() -> {
            for (int i = 0; i < 2; i++) {
                Exchange exchange = new Exchange(id, counted, breaker);
                jakarta.servlet.http.HttpSession session = exchange.request.getSession(false);
                seen.add(session.getAttribute("greeting"));
                seen.add(session.getAttribute("renamed"));
                exchange.request.commit();
            }
        });

        assertThat(seen).as("the readable attribute, twice; the unreadable one left out").containsExactly("hello", null, "hello", null);
        assertThat(codecErrors.total()).isEqualTo(2);
        assertThat(logged).as("logged once for its type").hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("com.example.RenamedAfterADeploy"));
        assertThat(breaker.closed()).as("Redis is fine: not an outage").isTrue();
        assertThat(breaker.timesOpened()).isZero();
        assertThat(client.getMap(SessionStore.PREFIX + id, org.redisson.client.codec.StringCodec.INSTANCE).get("renamed"))
                .as("kept in Redis for an instance that can read it").isNotNull();

        Exchange replacing = new Exchange(id, counted, breaker);
        replacing.request.getSession(false).setAttribute("renamed", "readable now");
        replacing.request.commit();
        assertThat(counted.load(id)).containsEntry("renamed", "readable now").containsEntry("greeting", "hello");
        breaker.close();
    }

    @Test
    void aValueTheCodecCannotWriteIsA500ProblemCountedAndLoggedOnceNotAnOutage() throws Exception {
        CodecErrors codecErrors = new CodecErrors();
        SessionStore counted = new SessionStore(client, codecErrors);
        RedisBreaker breaker = new RedisBreaker(() -> true, Duration.ofMinutes(10));
        List<Exchange> exchanges = List.of(new Exchange(null, counted, breaker), new Exchange(null, counted, breaker));

        List<String> logged = codecErrorLines(() -> {
            for (Exchange exchange : exchanges) {
                exchange.request.getSession().setAttribute("lines", List.of(1, 2)); // an immutable list: off the allow-list
                assertThatThrownBy(exchange.request::commit).isInstanceOfSatisfying(SessionCodecException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).doesNotContain("ImmutableCollections");
                });
                exchange.request.commit(); // the request's end: nothing more, no second failure
            }
        });

        assertThat(codecErrors.total()).isEqualTo(2);
        assertThat(logged).as("logged once for its type").hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("java.util.ImmutableCollections"));
        assertThat(breaker.closed()).as("Redis is fine: no 503, no outage").isTrue();
        assertThat(breaker.timesOpened()).isZero();
        for (Exchange exchange : exchanges) {
            assertThat(exists(exchange.newId())).as("nothing stored").isFalse();
        }
        breaker.close();
    }
}
