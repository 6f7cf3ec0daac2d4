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
import java.util.Optional;

/**
 * Who a request counts against: the SHA-256 of its API key (never the key itself), else its
 * address. {@code X-Forwarded-For} is read only when the peer is a trusted proxy, from the right,
 * skipping further trusted proxies: the first untrusted hop is the client. Addresses are parsed as
 * literals only, never looked up in DNS.
 */
public final class ClientKeys {

    private final List<Cidr> trusted;

    /** @param trustedProxies comma-separated addresses or CIDRs, e.g. {@code 10.0.0.0/8, 192.168.1.7} */
    public ClientKeys(String trustedProxies) {
        this.trusted = Arrays.stream(trustedProxies.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(Cidr::parse).toList();
    }

    public String of(String peer, String apiKey, String forwardedFor) {
        if (apiKey != null && !apiKey.isBlank()) {
            return "key:" + sha256(apiKey).substring(0, 32);
        }
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
