package dev.larder.kit.events.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.larder.kit.redis.control.RedisBreaker;
import java.time.Duration;
import org.redisson.api.RedissonClient;

/**
 * Every kind of Redis call of {@code kit.events}, once each and checked: append (with its length
 * trim), a blocking read, ranges both ways, the age trim. For tests that prove a Redis deployment
 * lets the kit work.
 */
public final class EventsWorkload {

    private EventsWorkload() {
    }

    public static void run(RedissonClient redisson, RedisBreaker breaker) {
        EventLog log = new EventLog();
        log.redisson = redisson;
        log.breaker = breaker;
        String before = log.newest();
        String id = log.append("inventory", "{\"productId\":1,\"stock\":5}").orElseThrow();

        assertThat(log.after(before, 10, Duration.ofMillis(500))).extracting(EventLog.Event::id).contains(id);
        assertThat(log.since(before, 10)).extracting(EventLog.Event::data).contains("{\"productId\":1,\"stock\":5}");
        assertThat(log.oldest()).isPresent();
        assertThat(log.newest()).isEqualTo(id);
        log.trimOlderThan(Duration.ofHours(1));
        assertThat(log.newest()).as("a recent event survives the trim").isEqualTo(id);
        assertThat(breaker.commandErrors()).as("commands Redis refused").isZero();
    }
}
