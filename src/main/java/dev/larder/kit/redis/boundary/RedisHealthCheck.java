package dev.larder.kit.redis.boundary;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Ready only once the application has built its Redis client at deployment and while Redis answers
 * a round trip. A probe never builds anything itself (it may run on a thread that cannot see the
 * application's configuration), and while the breaker is open it answers at once.
 */
@Readiness
@ApplicationScoped
public class RedisHealthCheck implements HealthCheck {

    @Inject
    RedisConnection connection;

    @Inject
    Instance<RedissonClient> redisson;

    @Inject
    Instance<RedisBreaker> breaker;

    @Override
    public HealthCheckResponse call() {
        if (!connection.started()) {
            return HealthCheckResponse.named("redis").down().withData("state", "starting").build();
        }
        String answer = breaker.get().callAsync("check readiness", () -> redisson.get().getScript(StringCodec.INSTANCE)
                .<String>evalAsync(RScript.Mode.READ_ONLY, "return 'PONG'", RScript.ReturnType.STRING), null);
        if (!"PONG".equals(answer)) {
            return HealthCheckResponse.named("redis").down().withData("state", "unavailable; probing").build();
        }
        return HealthCheckResponse.named("redis").up().build();
    }
}
