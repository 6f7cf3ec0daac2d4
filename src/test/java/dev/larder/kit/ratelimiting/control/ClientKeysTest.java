package dev.larder.kit.ratelimiting.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientKeysTest {

    ClientKeys keys = new ClientKeys("10.0.0.0/8, 192.168.1.7, fd00::/8");

    @Test
    void anApiKeyWinsAndIsStoredHashed() {
        String key = keys.of("203.0.113.9", "secret-key", "198.51.100.1");
        assertThat(key).startsWith("key:").doesNotContain("secret").hasSize(36);
        assertThat(keys.of("198.51.100.2", "secret-key", null)).isEqualTo(key);
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertThat(keys.of("203.0.113.9", null, "198.51.100.1")).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheFirstUntrustedHopFromTheRight() {
        assertThat(keys.of("10.1.2.3", null, "198.51.100.1")).isEqualTo("ip:198.51.100.1");
        assertThat(keys.of("10.1.2.3", null, "6.6.6.6, 198.51.100.1, 192.168.1.7")).isEqualTo("ip:198.51.100.1");
        assertThat(keys.of("fd00::1", null, "2001:db8::5")).isEqualTo("ip:2001:db8:0:0:0:0:0:5");
    }

    @Test
    void junkInForwardedForStopsTheWalk() {
        assertThat(keys.of("10.1.2.3", null, "evil.example, not-an-ip")).isEqualTo("ip:10.1.2.3");
    }

    @Test
    void refusesBadTrustedProxyConfiguration() {
        assertThatThrownBy(() -> new ClientKeys("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientKeys("proxy.example")).isInstanceOf(IllegalArgumentException.class);
    }
}
