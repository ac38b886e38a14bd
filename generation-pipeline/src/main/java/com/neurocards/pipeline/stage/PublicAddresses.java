package com.neurocards.pipeline.stage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a result download may connect to: public unicast ones only. Everything in IANA's special-purpose
 * registries is refused — loopback, private, shared (CGNAT), link-local (the cloud metadata endpoint
 * 169.254.169.254), unique-local, multicast, unspecified, documentation, benchmarking, reserved — and an IPv6 address
 * that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 address it leads to. The JDK's
 * {@code InetAddress.is…} methods know only part of this (not CGNAT, unique-local, NAT64, 6to4…), hence the table.
 */
public final class PublicAddresses {

    private record Block(String what, byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            if (!Arrays.equals(address, 0, full, network, 0, full)) {
                return false;
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final List<Block> IPV4 = List.of(
            block("unspecified (0.0.0.0/8)", "0.0.0.0", 8),
            block("private (10.0.0.0/8)", "10.0.0.0", 8),
            block("shared/CGNAT (100.64.0.0/10)", "100.64.0.0", 10),
            block("loopback (127.0.0.0/8)", "127.0.0.0", 8),
            block("link-local (169.254.0.0/16)", "169.254.0.0", 16),
            block("private (172.16.0.0/12)", "172.16.0.0", 12),
            block("IETF protocol assignments (192.0.0.0/24)", "192.0.0.0", 24),
            block("documentation (192.0.2.0/24)", "192.0.2.0", 24),
            block("6to4 relay (192.88.99.0/24)", "192.88.99.0", 24),
            block("private (192.168.0.0/16)", "192.168.0.0", 16),
            block("benchmarking (198.18.0.0/15)", "198.18.0.0", 15),
            block("documentation (198.51.100.0/24)", "198.51.100.0", 24),
            block("documentation (203.0.113.0/24)", "203.0.113.0", 24),
            block("multicast (224.0.0.0/4)", "224.0.0.0", 4),
            block("reserved/broadcast (240.0.0.0/4)", "240.0.0.0", 4));

    /** IPv6 blocks that are never a public host; checked after the IPv4-carrying ones below. */
    private static final List<Block> IPV6 = List.of(
            block("unspecified (::)", "::", 128),
            block("loopback (::1)", "::1", 128),
            block("IPv4-compatible (::/96)", "::", 96),
            block("local-use NAT64 (64:ff9b:1::/48)", "64:ff9b:1::", 48),
            block("discard-only (100::/64)", "100::", 64),
            block("IETF protocol assignments/Teredo (2001::/23)", "2001::", 23),
            block("documentation (2001:db8::/32)", "2001:db8::", 32),
            block("unique-local (fc00::/7)", "fc00::", 7),
            block("link-local (fe80::/10)", "fe80::", 10),
            block("site-local (fec0::/10)", "fec0::", 10),
            block("multicast (ff00::/8)", "ff00::", 8));

    private static final Block MAPPED = block("IPv4-mapped", "::ffff:0:0", 96);
    private static final Block NAT64 = block("NAT64", "64:ff9b::", 96);
    private static final Block SIX_TO_FOUR = block("6to4", "2002::", 16);
    private static final Block GLOBAL_UNICAST = block("global unicast", "2000::", 3);

    private PublicAddresses() {}

    /** Why a download may not connect to {@code address} (e.g. "link-local (169.254.0.0/16)"), or empty when it may. */
    public static Optional<String> refusal(InetAddress address) {
        return refusal(address.getAddress());
    }

    static Optional<String> refusal(byte[] address) {
        if (address.length == 4) {
            return IPV4.stream()
                    .filter(b -> b.contains(address))
                    .map(Block::what)
                    .findFirst();
        }
        if (MAPPED.contains(address) || NAT64.contains(address)) {
            return refusal(Arrays.copyOfRange(address, 12, 16)).map(why -> "IPv6 carrying a " + why + " address");
        }
        if (SIX_TO_FOUR.contains(address)) {
            return refusal(Arrays.copyOfRange(address, 2, 6)).map(why -> "6to4 of a " + why + " address");
        }
        Optional<String> special =
                IPV6.stream().filter(b -> b.contains(address)).map(Block::what).findFirst();
        if (special.isPresent() || GLOBAL_UNICAST.contains(address)) {
            return special;
        }
        return Optional.of("not global unicast IPv6 (outside 2000::/3)");
    }

    private static Block block(String what, String literal, int prefix) {
        try {
            // literals only: no name lookup happens here
            byte[] network = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && network.length == 4) {
                // the JDK turns ::ffff:a.b.c.d into an IPv4 address; the mapped block itself is kept as IPv6
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(network, 0, mapped, 12, 4);
                network = mapped;
            }
            return new Block(what, network, prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
