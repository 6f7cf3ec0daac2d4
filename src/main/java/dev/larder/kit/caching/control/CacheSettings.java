package dev.larder.kit.caching.control;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one cache behaves, from MicroProfile Config keys {@code larder.caching.<cache>.<property>},
 * each falling back to {@code larder.caching.default.<property>} and then to the default below.
 *
 * @param ttl          entry lifetime in Redis ({@code ttl}, default 5 minutes)
 * @param jitter       each entry lives ttl ± this share of it ({@code jitter}, 0.1)
 * @param versioned    invalidate-all bumps a namespace version ({@code versioned}, false)
 * @param beta         XFetch β: larger refreshes earlier, 0 turns early refresh off ({@code xfetch-beta}, 1)
 * @param leaseTtl     how long a loader holds the key's lease before it lapses ({@code lease-ttl}, 5 s)
 * @param leaseWait    how long a caller waits for another's load before loading itself ({@code lease-wait}, 2 s)
 * @param near         keep a per-instance near cache ({@code near.enabled}, false; never for versioned caches)
 * @param nearMaxSize  near-cache entries at most ({@code near.max-size}, 10,000)
 * @param nearTtl      near-cache entry lifetime, never longer than ttl ({@code near.ttl}, 1 minute)
 */
public record CacheSettings(Duration ttl, double jitter, boolean versioned, double beta, Duration leaseTtl,
                            Duration leaseWait, boolean near, long nearMaxSize, Duration nearTtl) {

    public CacheSettings {
        if (ttl.isNegative() || ttl.isZero() || leaseTtl.isNegative() || leaseTtl.isZero()
                || leaseWait.isNegative() || nearTtl.isNegative() || nearTtl.isZero()) {
            throw new IllegalArgumentException("cache durations must be positive");
        }
        if (beta < 0 || nearMaxSize < 1) {
            throw new IllegalArgumentException("xfetch-beta must be >= 0 and near.max-size >= 1");
        }
        near = near && !versioned;
        nearTtl = nearTtl.compareTo(ttl) > 0 ? ttl : nearTtl;
    }

    /** @param config a configuration lookup, e.g. {@code key -> config.getOptionalValue(key, String.class)} */
    public static CacheSettings of(String cache, Function<String, Optional<String>> config) {
        Function<String, Optional<String>> lookup = property -> config.apply("larder.caching." + cache + "." + property)
                .or(() -> config.apply("larder.caching.default." + property));
        return new CacheSettings(
                lookup.apply("ttl").map(Duration::parse).orElse(Duration.ofMinutes(5)),
                lookup.apply("jitter").map(Double::parseDouble).orElse(0.1),
                lookup.apply("versioned").map(Boolean::parseBoolean).orElse(false),
                lookup.apply("xfetch-beta").map(Double::parseDouble).orElse(1.0),
                lookup.apply("lease-ttl").map(Duration::parse).orElse(Duration.ofSeconds(5)),
                lookup.apply("lease-wait").map(Duration::parse).orElse(Duration.ofSeconds(2)),
                lookup.apply("near.enabled").map(Boolean::parseBoolean).orElse(false),
                lookup.apply("near.max-size").map(Long::parseLong).orElse(10_000L),
                lookup.apply("near.ttl").map(Duration::parse).orElse(Duration.ofMinutes(1)));
    }
}
