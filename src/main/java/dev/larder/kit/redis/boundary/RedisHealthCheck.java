package dev.larder.kit.redis.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Ready only while Redis answers a round trip. */
@Readiness
@ApplicationScoped
public class RedisHealthCheck implements HealthCheck {

    @Inject
    RedissonClient redisson;

    @Override
    public HealthCheckResponse call() {
        try {
            String answer = redisson.getScript(StringCodec.INSTANCE)
                    .eval(RScript.Mode.READ_ONLY, "return 'PONG'", RScript.ReturnType.STRING);
            return HealthCheckResponse.named("redis").status("PONG".equals(answer)).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("redis").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
