package dev.larder.kit.ratelimiting.control;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who a request counts against: a <em>known</em> API key (its SHA-256 is configured; the key itself
 * is never stored or logged), else the subject of the caller's verified token, else its address. An
 * unknown key cannot buy a fresh quota: it is refused, or ignored so that the request counts against
 * the subject or address, as configured. {@code
 * X-Forwarded-For} is read only when the peer is a trusted proxy, from the right, skipping further
 * trusted proxies: the first untrusted hop is the client. Addresses are parsed as literals only,
 * never looked up in DNS.
 */
public final class ClientKeys {

    /** What to do with an {@code X-API-Key} that is not configured. */
    public enum UnknownKeys { IGNORE, REJECT }

    /**
     * The client a request counts against.
     *
     * @param id       {@code key:<hash prefix>}, {@code sub:<hash prefix>} or {@code ip:<address>}, part of its Redis key
     * @param policy   the policy a known key is bound to, if any (it replaces the route's policy)
     * @param rejected an unknown key under {@link UnknownKeys#REJECT}: answer 401
     */
    public record Client(String id, Optional<String> policy, boolean rejected) {
    }

    private final List<Cidr> trusted;
    private final Map<String, Optional<String>> knownKeys;
    private final UnknownKeys unknownKeys;

    /** @param trustedProxies comma-separated addresses or CIDRs, e.g. {@code 10.0.0.0/8, 192.168.1.7} */
    public ClientKeys(String trustedProxies) {
        this(trustedProxies, "", UnknownKeys.IGNORE);
    }

    /**
     * @param apiKeys comma-separated {@code <sha256 hex of the key>} or {@code <sha256 hex>=<policy>}
     */
    public ClientKeys(String trustedProxies, String apiKeys, UnknownKeys unknownKeys) {
        this.trusted = Arrays.stream(trustedProxies.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(Cidr::parse).toList();
        this.knownKeys = Arrays.stream(apiKeys.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(entry -> entry.split("=", 2))
                .collect(Collectors.toUnmodifiableMap(e -> hash(e[0]), e -> e.length == 2 ? Optional.of(e[1].strip()) : Optional.empty()));
        this.unknownKeys = unknownKeys;
    }

    public Client identify(String peer, String apiKey, String forwardedFor) {
        return identify(peer, apiKey, forwardedFor, null);
    }

    /**
     * @param subject the subject of a token the server has verified (never one read from the request
     *                by anyone else), or null for an anonymous request
     */
    public Client identify(String peer, String apiKey, String forwardedFor, String subject) {
        if (apiKey != null && !apiKey.isEmpty()) {
            String hash = sha256(apiKey);
            Optional<String> policy = knownKeys.get(hash);
            if (policy != null) {
                return new Client("key:" + hash.substring(0, 32), policy, false);
            }
            if (unknownKeys == UnknownKeys.REJECT) {
                return new Client("", Optional.empty(), true);
            }
        }
        if (subject != null && !subject.isEmpty()) {
            return new Client("sub:" + sha256(subject).substring(0, 32), Optional.empty(), false);
        }
        return new Client(address(peer, forwardedFor), Optional.empty(), false);
    }

    /** The policies that configured keys are bound to (each must exist). */
    public java.util.Set<String> boundPolicies() {
        return knownKeys.values().stream().flatMap(Optional::stream).collect(Collectors.toSet());
    }

    /** The client id of a request: what {@link #identify} answers, for callers that need no policy. */
    public String of(String peer, String apiKey, String forwardedFor) {
        return identify(peer, apiKey, forwardedFor).id();
    }

    private String address(String peer, String forwardedFor) {
        String client = peer;
        if (forwardedFor != null && isTrusted(peer)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = literal(hops[i].strip());
                if (hop.isEmpty()) {
                    break;
                }
                client = hop.get().getHostAddress();
                if (!trusted(hop.get())) {
                    break;
                }
            }
        }
        return "ip:" + client;
    }

    private static String hash(String configured) {
        String hex = configured.strip().toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("larder.ratelimit.api-keys holds SHA-256 hashes (64 hex digits), not keys: "
                    + (hex.length() > 8 ? hex.substring(0, 8) + "..." : hex));
        }
        return hex;
    }

    boolean isTrusted(String address) {
        return literal(address).map(this::trusted).orElse(false);
    }

    private boolean trusted(InetAddress address) {
        return trusted.stream().anyMatch(c -> c.contains(address));
    }

    static Optional<InetAddress> literal(String text) {
        if (text.isEmpty() || text.length() > 45 || !text.matches("[0-9a-fA-F:.]+") || !text.matches(".*[.:].*")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An address block. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            InetAddress address = literal(parts[0])
                    .orElseThrow(() -> new IllegalArgumentException("not an address or CIDR: " + text));
            int max = address.getAddress().length * 8;
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            return new Cidr(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(network.length * 8 - bits);
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
