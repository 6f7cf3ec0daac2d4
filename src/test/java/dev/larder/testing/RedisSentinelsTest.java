package dev.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The tests' Sentinel group: a forced failover swaps master and replica, a held replication loses
 * what the old master acknowledged, and its Redisson YAML reaches the master.
 */
class RedisSentinelsTest {

    static RedisSentinels group;

    @BeforeAll
    static void start() throws Exception {
        group = RedisSentinels.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (group != null) {
            group.close();
        }
    }

    /** One failover (each takes 15-20 s, most of it Sentinel's wait before it demotes the old master). */
    @Test
    void aFailoverPromotesTheReplicaWithWhatWasReplicatedAndLosesWhatTheOldMasterAloneAcknowledged() throws Exception {
        RedisServer master = group.master();
        RedisServer replica = group.replica();
        String replicated = "replicated-" + UUID.randomUUID();
        String acknowledged = "acknowledged-" + UUID.randomUUID();
        String masterRunId = RedisSentinels.runId(master);
        assertThat(Resp.onOneConnection(master.port(), List.of(new String[]{"SET", replicated, "kept"}, new String[]{"WAIT", "1", "5000"})))
                .as("the replica has it").containsExactly("OK", 1L);

        RedisSentinels.Failover failover;
        try (RedisSentinels.Held held = group.holdReplication()) {
            assertThat(Resp.onOneConnection(master.port(), List.of(new String[]{"SET", acknowledged, "lost"}, new String[]{"WAIT", "1", "300"})))
                    .as("acknowledged, and no replica has it").containsExactly("OK", 0L);
            failover = group.failover();
        }
        System.out.println("RedisSentinelsTest: " + failover);

        assertThat(failover.from()).isEqualTo(master.port());
        assertThat(failover.to()).isEqualTo(replica.port());
        assertThat(group.master().port()).isEqualTo(replica.port());
        assertThat(RedisSentinels.runId(group.master())).isNotEqualTo(masterRunId);
        assertThat(Resp.info(master.port(), "replication")).containsEntry("role", "slave")
                .containsEntry("master_port", String.valueOf(replica.port()));
        assertThat(Resp.string(replica.port(), "GET", replicated)).isEqualTo("kept");
        assertThat(Resp.string(replica.port(), "GET", acknowledged)).as("on the new master").isNull();
        assertThat(Resp.string(master.port(), "GET", acknowledged)).as("on the old master, now its replica").isNull();
        assertThat(failover.promoted()).isLessThanOrEqualTo(failover.announced()).isLessThanOrEqualTo(failover.demoted());
    }

    @Test
    void itsRedissonYamlIsASentinelConfigurationThatWritesToTheMaster() throws Exception {
        Config config = Config.fromYAML(group.redissonYaml(Duration.ofSeconds(1)));
        assertThat(config.useSentinelServers().getSentinelAddresses()).hasSize(3);
        assertThat(config.useSentinelServers().getRetryAttempts()).isZero();
        config.setCodec(StringCodec.INSTANCE);
        RedissonClient client = Redisson.create(config);
        try {
            String key = "through-redisson-" + UUID.randomUUID();
            client.getBucket(key).set("written");
            assertThat(Optional.ofNullable(Resp.string(group.master().port(), "GET", key))).hasValue("written");
        } finally {
            client.shutdown();
        }
    }
}
