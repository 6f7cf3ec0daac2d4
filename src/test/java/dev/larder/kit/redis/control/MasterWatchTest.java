package dev.larder.kit.redis.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.testing.Eventually;
import dev.larder.testing.RedisSentinels;
import dev.larder.testing.RedisServer;
import dev.larder.testing.Resp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The watch on Redis's master against real servers: a restart and a Sentinel failover are each a
 * change, noticed by the poll while the breaker is closed; the steps run before the breaker closes
 * again, with Redis calls allowed through it, and run again until they succeed.
 */
class MasterWatchTest {

    static final Duration NOTICED = Duration.ofSeconds(10);

    final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
    final List<String> seenBySteps = new CopyOnWriteArrayList<>();
    RedissonClient client;
    RedisBreaker breaker;
    MasterWatch watch;

    @AfterEach
    void stop() throws Exception {
        if (watch != null) {
            watch.stop();
        }
        if (breaker != null) {
            breaker.close();
        }
        if (client != null) {
            client.shutdown();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aRestartedServerIsAChangeAndTheStepsRunBehindTheOpenBreakerUntilOneSucceeds() throws Exception {
        RedisServer redis = RedisServer.startProcess();
        closing.add(redis);
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(3000).setConnectTimeout(3000).setRetryAttempts(0);
        AtomicInteger attempts = new AtomicInteger();
        watch(config, () -> attempts.incrementAndGet() > 1);
        awaitBaseline();
        Thread.sleep(4 * MasterWatch.INTERVAL_MILLIS);
        assertThat(attempts.get()).as("no change, no step").isZero();
        assertThat(breaker.timesOpened()).isZero();

        redis.restart();

        assertThat(Eventually.within(NOTICED, Duration.ofMillis(50), () -> attempts.get() >= 2 && breaker.closed(), done -> done))
                .as("the steps ran (the first failed, the next probe ran them again) and the breaker closed").isTrue();
        assertThat(seenBySteps).as("each step ran with the breaker still open, and its Redis call passed")
                .containsExactly("open, PONG", "open, PONG");
        assertThat(watch.unsettled()).isFalse();
        Thread.sleep(4 * MasterWatch.INTERVAL_MILLIS);
        assertThat(attempts.get()).as("one change, its steps done once").isEqualTo(2);
    }

    @Test
    void aSentinelFailoverIsAChangeOnceRedissonFollowsTheNewMaster() throws Exception {
        RedisSentinels group = RedisSentinels.start();
        closing.add(group);
        AtomicInteger steps = new AtomicInteger();
        watch(Config.fromYAML(group.redissonYaml(Duration.ofSeconds(1))), () -> steps.incrementAndGet() > 0);
        awaitBaseline();
        String oldMaster = RedisSentinels.runId(group.master());

        RedisSentinels.Failover failover = group.failover();

        assertThat(Eventually.within(NOTICED, Duration.ofMillis(50), () -> steps.get() == 1 && breaker.closed(), done -> done))
                .as("noticed and settled after " + failover).isTrue();
        assertThat(RedisSentinels.runId(group.master())).isNotEqualTo(oldMaster);
        String key = "after-the-failover-" + UUID.randomUUID();
        client.getBucket(key, StringCodec.INSTANCE).set("written");
        assertThat(Resp.string(failover.to(), "GET", key)).as("a write after the steps lands on the new master").isEqualTo("written");
    }

    @Test
    void aServerThatRefusesInfoIsNotWatchedAndNeverKeptFromUse() throws Exception {
        RedisServer redis = RedisServer.startProcess("--rename-command", "INFO", "");
        closing.add(redis);
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(3000).setConnectTimeout(3000).setRetryAttempts(0);
        AtomicInteger steps = new AtomicInteger();
        watch(config, () -> steps.incrementAndGet() > 0);

        breaker.failed("a test", new RuntimeException("an outage"));

        assertThat(Eventually.within(NOTICED, Duration.ofMillis(50), breaker::closed, closed -> closed)).isTrue();
        assertThat(watch.check()).isTrue();
        assertThat(steps.get()).isZero();
    }

    private void watch(Config config, java.util.function.BooleanSupplier step) {
        config.setCodec(StringCodec.INSTANCE);
        config.setLazyInitialization(true); // as the application's client
        RedisConnectionEvents events = new RedisConnectionEvents();
        config.setConnectionListener(events);
        client = Redisson.create(config);
        breaker = new RedisBreaker(() -> client.getBucket("ping", StringCodec.INSTANCE).isExists() || true, Duration.ofMillis(100));
        watch = new MasterWatch();
        watch.redisson = client;
        watch.breaker = breaker;
        watch.connections = events;
        watch.whenMasterChanged(() -> {
            String reached = breaker.call("a step's call", () -> client.getBucket("step", StringCodec.INSTANCE).isExists() ? "" : "PONG", "refused");
            seenBySteps.add((breaker.closed() ? "closed" : "open") + ", " + reached);
            return step.getAsBoolean();
        });
        watch.start();
    }

    private void awaitBaseline() throws Exception {
        assertThat(Eventually.within(NOTICED, Duration.ofMillis(50), watch::check, read -> read)).as("the master answered INFO").isTrue();
    }
}
