package dev.larder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.larder.kit.caching.control.CachingWorkload;
import dev.larder.kit.events.control.EventsWorkload;
import dev.larder.kit.ratelimiting.control.Policy;
import dev.larder.kit.ratelimiting.control.RateLimiter;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisFailures;
import dev.larder.kit.redis.control.RedisSettings;
import dev.larder.kit.sessions.control.SessionStore;
import dev.larder.kit.writebehind.control.CounterLog;
import dev.larder.kit.writebehind.control.Flusher;
import dev.larder.shop.leaderboard.control.BestSellersWorkload;
import dev.larder.testing.CertificateAuthority;
import dev.larder.testing.Eventually;
import dev.larder.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisWrongPasswordException;
import org.redisson.client.codec.StringCodec;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * Larder against redis-servers that ask something of their clients, started by the test: a password
 * ({@code requirepass}), an ACL user with only what Larder needs (the README's {@code ACL SETUSER}
 * line, read from the README), and TLS only, with a certificate authority made by the test.
 */
class RedisSecurityTest {

    static final String[] TYPES = {"dev.larder.", "java.lang.String", "java.lang.Long", "java.lang.Integer"};
    static final String PASSWORD = "pw-" + UUID.randomUUID();

    final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    RedisServer started(RedisServer server) {
        started.add(server);
        return server;
    }

    /** A client of {@code settings} with a timeout generous enough for a busy test machine. */
    RedissonClient client(RedisSettings settings) {
        RedissonClient client = RedisServer.client(new RedisSettings(settings.address(), settings.configFile(), settings.password(),
                settings.poolSize(), settings.minimumIdle(), settings.nettyThreads(), Duration.ofSeconds(5), settings.allowedTypes(),
                settings.username(), settings.tlsCaFile(), settings.readMode()));
        started.add(client::shutdown);
        return client;
    }

    RedisBreaker breaker(RedissonClient client) {
        RedisBreaker breaker = new RedisBreaker(() -> "PONG".equals(health(client)), Duration.ofMillis(100));
        started.add(breaker);
        return breaker;
    }

    /** The readiness check's and the breaker probe's round trip. */
    static String health(RedissonClient client) {
        return client.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_ONLY, "return 'PONG'", RScript.ReturnType.STRING);
    }

    /** The ACL rules of user {@code larder} as the README gives them, with the test's password. */
    static String readmeAclRules() throws Exception {
        String line = Files.readAllLines(Path.of("README.md")).stream().map(String::strip)
                .filter(l -> l.startsWith("ACL SETUSER larder ")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no line 'ACL SETUSER larder ...'"));
        return line.substring("ACL SETUSER ".length()).replaceFirst(" >\\S+", " >" + PASSWORD);
    }

    static String withCredentials(String address, String username, String password) {
        return address.replace("://", "://" + (username == null ? "" : username) + ":" + password + "@");
    }

    /** Sessions, the limiter, write-behind, events, best sellers, JCache and pub/sub, health: every call must succeed. */
    void everyPartWorks(RedissonClient client) throws Exception {
        assertThat(health(client)).isEqualTo("PONG");
        RedisBreaker breaker = breaker(client);

        SessionStore sessions = new SessionStore(client);
        String id = SessionStore.newId();
        assertThat(sessions.save(id, true, Map.of("@created", 1L, "cart:1", 2), List.of(), Duration.ofMinutes(1))).isTrue();
        assertThat(sessions.save(id, false, Map.of("cart:2", 1), List.of("cart:1"), Duration.ofMinutes(1))).isTrue();
        String rotated = sessions.rotate(id, Map.of(), List.of(), Duration.ofMinutes(1));
        assertThat(sessions.load(rotated)).containsEntry("cart:2", 1).doesNotContainKey("cart:1");
        sessions.delete(rotated);
        assertThat(sessions.load(rotated)).isEmpty();

        Policy policy = new Policy("security", Pattern.compile(".*"), Set.of(), 2, Duration.ofMinutes(1));
        RateLimiter limiter = new RateLimiter(client);
        assertThat(List.of(limiter.decide(policy, "ip:192.0.2.1").allowed(), limiter.decide(policy, "ip:192.0.2.1").allowed(),
                limiter.decide(policy, "ip:192.0.2.1").allowed())).containsExactly(true, true, false);

        writeBehind(client, breaker);
        EventsWorkload.run(client, breaker);
        BestSellersWorkload.run(client, breaker);

        Cache<String, Object> cache = cache(client, "larder:cache:security-" + UUID.randomUUID(), new MutableConfiguration<>());
        cache.put("k", "v");
        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(cache.remove("k")).isTrue();

        RTopic topic = client.getTopic("larder:security", StringCodec.INSTANCE);
        List<String> heard = new CopyOnWriteArrayList<>();
        topic.addListener(String.class, (channel, message) -> heard.add(message));
        assertThat(topic.publish("hello")).isEqualTo(1);
        assertThat(Eventually.within(Duration.ofSeconds(2), Duration.ofMillis(10), () -> heard, h -> !h.isEmpty())).containsExactly("hello");

        assertThat(breaker.commandErrors()).isZero();
        assertThat(breaker.timesOpened()).isZero();
    }

    /** A flush that fails leaves its batch pending; another consumer claims it once idle long enough. */
    static void writeBehind(RedissonClient client, RedisBreaker breaker) throws Exception {
        CounterLog log = new CounterLog(client, breaker, "security-" + UUID.randomUUID());
        assertThat(log.add("7", 1, 10)).isNotNull();
        assertThat(log.add("7", 2, 10)).isNotNull();
        assertThat(log.total("7")).isEqualTo(13L);
        Map<String, Long> applied = new ConcurrentHashMap<>();
        Flusher.Sink failing = (name, deltas) -> {
            throw new IllegalStateException("the transaction rolled back");
        };
        Flusher.Sink sink = (name, deltas) -> deltas.forEach(d -> applied.merge(d.key(), d.amount(), Long::sum));
        assertThatThrownBy(() -> new Flusher(log, "a", 10, Duration.ofMillis(100), failing).flush()).hasMessageContaining("rolled back");
        Thread.sleep(150);
        assertThat(new Flusher(log, "b", 10, Duration.ofMillis(100), sink).flush()).isEqualTo(2);
        assertThat(applied).containsEntry("7", 3L);
    }

    @Test
    void withTheRightPasswordEveryPartOfTheKitWorks() throws Exception {
        RedisServer server = started(RedisServer.builder().password(PASSWORD).start());

        everyPartWorks(client(server.settings(TYPES)));
        CachingWorkload.run(withCredentials(server.address(), null, PASSWORD));
    }

    @Test
    void aMissingOrWrongPasswordFailsVisiblyAndOpensTheBreaker() throws Exception {
        RedisServer server = started(RedisServer.builder().password(PASSWORD).start());
        RedisSettings right = server.settings(TYPES);

        assertThat(chain(refusal(client(right.withCredentials(null, null)))))
                .anyMatch(t -> t instanceof RedisAuthRequiredException && t.getMessage().contains("NOAUTH"));
        try (Warnings warnings = new Warnings()) {
            RedissonClient wrong = client(right.withCredentials(null, "not-" + PASSWORD));
            Throwable refusal = refusal(wrong);
            assertThat(chain(refusal)).anyMatch(t -> t instanceof RedisWrongPasswordException && t.getMessage().contains("WRONGPASS"));
            assertThat(RedisFailures.isOutage(refusal)).as("Redis cannot be used: the breaker opens, readiness is down").isTrue();

            RedisBreaker breaker = breaker(wrong);
            assertThat(breaker.call("read a session", () -> new SessionStore(wrong).load(SessionStore.newId()), null)).isNull();
            assertThat(breaker.closed()).isFalse();
            assertThat(warnings.causes()).as("logged once, with Redis's answer").hasSize(1)
                    .allSatisfy(cause -> assertThat(chain(cause)).anyMatch(t -> String.valueOf(t.getMessage()).contains("WRONGPASS")));
        }
    }

    @Test
    void theReadmesAclUserRunsEveryPartOfLarder() throws Exception {
        RedisServer server = started(RedisServer.builder().user(readmeAclRules()).start());
        RedissonClient admin = client(server.settings(TYPES));
        RedissonClient larder = client(server.settings(TYPES).withCredentials("larder", PASSWORD));
        assertThatThrownBy(() -> larder.getBucket("other:key", StringCodec.INSTANCE).get()).as("the client is larder")
                .hasMessageContaining("NOPERM");

        String expiring = "larder:cache:expiring-" + UUID.randomUUID();
        Cache<String, Object> cache = cache(larder, expiring, new MutableConfiguration<String, Object>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200))));
        cache.put("k", "v");
        assertThat(admin.getScoredSortedSet("jcache_timeout_set:{" + expiring + "}", StringCodec.INSTANCE).size()).isEqualTo(1);

        everyPartWorks(larder);
        CachingWorkload.run(withCredentials(server.address(), "larder", PASSWORD));

        assertThat(Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> admin.getScoredSortedSet("jcache_timeout_set:{" + expiring + "}", StringCodec.INSTANCE).size(), n -> n == 0))
                .as("Redisson's expiry task (it publishes on jcache_expired_channel:{...}) ran as larder").isZero();
        assertThat(admin.getMap(expiring, StringCodec.INSTANCE).size()).isZero();
    }

    @Test
    void theAclUserIsRefusedWhatLarderNeverNeeds() throws Exception {
        RedisServer server = started(RedisServer.builder().user(readmeAclRules()).start());

        try (Resp larder = new Resp(server.port())) {
            assertThat(larder.send("AUTH", "larder", PASSWORD)).isEqualTo("+OK");
            assertThat(larder.send("SET", "larder:allowed", "1")).isEqualTo("+OK");
            for (List<String> command : List.of(List.of("FLUSHALL"), List.of("FLUSHDB"), List.of("CONFIG", "GET", "maxmemory"),
                    List.of("KEYS", "*"), List.of("SCAN", "0"), List.of("RANDOMKEY"), List.of("INFO"),
                    List.of("SHUTDOWN", "NOSAVE"), List.of("MONITOR"), List.of("CLIENT", "LIST"), List.of("ACL", "LIST"),
                    List.of("SCRIPT", "FLUSH"), List.of("FUNCTION", "FLUSH"), List.of("PUBSUB", "CHANNELS"),
                    List.of("GET", "other:key"), List.of("SET", "other:key", "1"), List.of("PUBLISH", "other", "x"),
                    List.of("EVAL", "return redis.call('GET', 'other:key')", "0"))) {
                assertThat(larder.send(command.toArray(String[]::new))).as(String.join(" ", command)).startsWith("-")
                        .containsAnyOf("NOPERM", "can't access");
            }
            assertThat(larder.send("GET", "larder:allowed")).as("still connected, still allowed").isEqualTo("$1");
        }
    }

    @Test
    void overTlsTheKitWorksWithTheCaFile(@TempDir Path dir) throws Exception {
        CertificateAuthority authority = CertificateAuthority.create(dir, "larder-test-ca");
        RedisServer server = started(RedisServer.builder().tls(authority.issue("redis", "IP:127.0.0.1", "DNS:localhost")).start());
        assertThat(server.address()).startsWith("rediss://");

        everyPartWorks(client(server.settings(TYPES)));
        RedisSettings byName = new RedisSettings("rediss://localhost:" + server.port(), Optional.empty(), Optional.empty(), 4, 1, 2,
                Duration.ofSeconds(2), List.of(TYPES)).withTlsCaFile(authority.certificate());
        assertThat(health(client(byName))).as("the certificate names localhost too").isEqualTo("PONG");
    }

    @Test
    void overTlsAServerIsNotTrustedWithoutTheCaNorUnderAnotherName(@TempDir Path dir) throws Exception {
        CertificateAuthority authority = CertificateAuthority.create(dir, "larder-test-ca");
        RedisServer server = started(RedisServer.builder().tls(authority.issue("redis", "IP:127.0.0.1", "DNS:localhost")).start());
        RedisServer misnamed = started(RedisServer.builder().tls(authority.issue("elsewhere", "DNS:redis.invalid")).start());
        RedisSettings withoutCa = new RedisSettings(server.address(), Optional.empty(), Optional.empty(), 4, 1, 2,
                Duration.ofSeconds(2), List.of(TYPES));

        Throwable untrusted = refusal(client(withoutCa));
        assertThat(chain(untrusted)).anyMatch(SSLHandshakeException.class::isInstance);
        assertThat(chain(untrusted)).anyMatch(t -> String.valueOf(t.getMessage()).contains("PKIX path building failed"));
        assertThat(RedisFailures.isOutage(untrusted)).isTrue();

        Throwable wrongName = refusal(client(misnamed.settings(TYPES)));
        assertThat(chain(wrongName)).anyMatch(SSLHandshakeException.class::isInstance);
        assertThat(chain(wrongName)).anyMatch(t -> String.valueOf(t.getMessage()).contains("127.0.0.1"));
    }

    Cache<String, Object> cache(RedissonClient client, String name, MutableConfiguration<String, Object> configuration) {
        CacheManager manager = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider", RedisSecurityTest.class.getClassLoader())
                .getCacheManager(java.net.URI.create("urn:larder-security-" + UUID.randomUUID()), RedisSecurityTest.class.getClassLoader());
        started.add(manager::close);
        return manager.createCache(name, RedissonConfiguration.fromInstance(client, configuration));
    }

    /** What the first round trip of {@code client} fails with. */
    Throwable refusal(RedissonClient client) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> health(client));
        assertThat(failure).as("the round trip fails").isNotNull();
        return failure;
    }

    static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The causes of the breaker's warnings while open. */
    static final class Warnings extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(RedisBreaker.class.getName());
        private final List<Throwable> causes = new CopyOnWriteArrayList<>();

        Warnings() {
            logger.addHandler(this);
        }

        List<Throwable> causes() {
            return causes;
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getThrown() != null) {
                causes.add(record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    /** A plain RESP connection: each command's first reply line, as Redis sent it. */
    static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Resp(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String send(String... command) throws Exception {
            StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line.startsWith("$") && !line.equals("$-1")) {
                in.readLine();
            }
            return line;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
