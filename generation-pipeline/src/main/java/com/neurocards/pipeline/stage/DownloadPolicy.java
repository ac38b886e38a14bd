package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a rendered video may be downloaded from. KIE's answer names the URL, so a broken or compromised answer could
 * point the pipeline at an internal service (billing's {@code /internal/*}, the cloud metadata endpoint) and have the
 * response sent into a seller's chat. So: HTTPS only, to a host whose every DNS address is public
 * ({@link PublicAddresses}); the connection then goes to the very address that was checked, so a second DNS answer
 * cannot swap in another one. A host on the configured allow list ({@code VIDEO_DOWNLOAD_ALLOWED_HOSTS}: {@code host}
 * or {@code host:port}, e.g. the local KIE emulator) is trusted as it is: plain HTTP and any address. Every redirect
 * hop is checked again.
 */
public final class DownloadPolicy {

    /** A URL that may not be downloaded: the job fails for good (never retried, never shown to the seller). */
    public static final class Refused extends StageException {
        Refused(String why) {
            super(ErrorClass.UNKNOWN, null, "the rendered video's URL was refused: " + why);
        }
    }

    /** Resolves a host name to its addresses (blocking); a test puts its own DNS in. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * Where to connect for a checked URL: {@code address} is the IP literal that was checked (the connection goes
     * there, the host name only names the server for TLS and {@code Host}), or {@code null} for an allowed host.
     */
    public record Target(URI uri, String host, int port, boolean ssl, String address) {}

    private final Set<String> allowed;
    private final Resolver resolver;

    public DownloadPolicy(Collection<String> allowedHosts, Resolver resolver) {
        this.allowed = allowedHosts.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    public DownloadPolicy(Collection<String> allowedHosts) {
        this(allowedHosts, InetAddress::getAllByName);
    }

    /**
     * Checks {@code url} and, for a host not on the allow list, resolves it (blocking: call it off the event loop).
     *
     * @throws Refused when the URL may not be downloaded
     * @throws UnknownHostException when the name does not resolve (may pass: the caller retries)
     */
    public Target check(String url) throws UnknownHostException {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("scheme '" + scheme + "' is not HTTPS");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("it carries user info");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || host.isEmpty()) {
            throw new Refused("it names no host");
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isAllowed(host, bare, port)) {
            return new Target(uri, bare, port, ssl, null);
        }
        if (!ssl) {
            throw new Refused("plain HTTP to " + host + " (only HTTPS, or a host in VIDEO_DOWNLOAD_ALLOWED_HOSTS)");
        }
        InetAddress[] addresses = resolver.resolve(bare);
        if (addresses.length == 0) {
            throw new UnknownHostException(bare);
        }
        // every address is judged, not only the first: a name answering with a public and a private address would
        // otherwise win whenever the client happened to pick the private one
        for (InetAddress address : addresses) {
            Optional<String> why = PublicAddresses.refusal(address);
            if (why.isPresent()) {
                throw new Refused(host + " resolves to a " + why.get() + " address");
            }
        }
        // a literal without the host name attached, so nothing downstream resolves the name again
        String literal = InetAddress.getByAddress(addresses[0].getAddress()).getHostAddress();
        return new Target(uri, bare, port, true, literal);
    }

    private boolean isAllowed(String host, String bare, int port) {
        return allowed.contains(host)
                || allowed.contains(bare)
                || allowed.contains(host + ":" + port)
                || allowed.contains("[" + bare + "]:" + port);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new Refused("it is empty");
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new Refused("it is not a valid URL");
        }
    }
}
