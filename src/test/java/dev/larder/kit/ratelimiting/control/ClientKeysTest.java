package dev.larder.kit.ratelimiting.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientKeysTest {

    ClientKeys keys = new ClientKeys("10.0.0.0/8, 192.168.1.7, fd00::/8", hash("secret-key") + ", " + hash("partner-key") + "=partners",
            ClientKeys.UnknownKeys.IGNORE);

    static String hash(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKnownApiKeyWinsAndIsStoredHashed() {
        String key = keys.of("203.0.113.9", "secret-key", "198.51.100.1");
        assertThat(key).startsWith("key:").doesNotContain("secret").hasSize(36);
        assertThat(keys.of("198.51.100.2", "secret-key", null)).isEqualTo(key);
        assertThat(keys.identify("198.51.100.2", "secret-key", null).policy()).isEmpty();
        assertThat(keys.identify("198.51.100.2", "partner-key", null).policy()).hasValue("partners");
    }

    @Test
    void anUnknownApiKeyBuysNoQuotaOfItsOwn() {
        assertThat(keys.of("203.0.113.9", "made-up-" + java.util.UUID.randomUUID(), null)).isEqualTo("ip:203.0.113.9");
        ClientKeys strict = new ClientKeys("", hash("secret-key"), ClientKeys.UnknownKeys.REJECT);
        assertThat(strict.identify("203.0.113.9", "made-up", null).rejected()).isTrue();
        assertThat(strict.identify("203.0.113.9", "secret-key", null).rejected()).isFalse();
        assertThat(strict.identify("203.0.113.9", null, null).id()).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void aVerifiedTokensSubjectIsAClientOfItsOwnWhereverItComesFromButAKnownKeyWins() {
        String alice = keys.identify("203.0.113.9", null, null, "alice@example.org").id();

        assertThat(alice).startsWith("sub:").hasSize(36).doesNotContain("alice");
        assertThat(keys.identify("198.51.100.2", null, "198.51.100.1", "alice@example.org").id()).as("from another address").isEqualTo(alice);
        assertThat(keys.identify("203.0.113.9", null, null, "bob@example.org").id()).as("another subject, same address").isNotEqualTo(alice);
        assertThat(keys.identify("203.0.113.9", "made-up-key", null, "alice@example.org").id()).as("an ignored unknown key").isEqualTo(alice);
        assertThat(keys.identify("203.0.113.9", "secret-key", null, "alice@example.org").id()).isEqualTo(keys.of("1.2.3.4", "secret-key", null));
        assertThat(keys.identify("203.0.113.9", null, null, "").id()).isEqualTo("ip:203.0.113.9");
        ClientKeys strict = new ClientKeys("", hash("secret-key"), ClientKeys.UnknownKeys.REJECT);
        assertThat(strict.identify("203.0.113.9", "made-up-key", null, "alice@example.org").rejected())
                .as("an unknown key is refused whoever sends it").isTrue();
    }

    @Test
    void configuredKeysMustBeHashesNotKeys() {
        assertThatThrownBy(() -> new ClientKeys("", "secret-key", ClientKeys.UnknownKeys.IGNORE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret-key");
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
