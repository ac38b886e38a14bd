package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which result URLs may be downloaded, and where the connection then goes; with a scripted DNS. */
class DownloadPolicyTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "cdn.example", List.of("93.184.216.34"),
            "metadata.example", List.of("169.254.169.254"),
            "billing.internal", List.of("10.0.3.7"),
            "split.example", List.of("93.184.216.34", "127.0.0.1"),
            "v6private.example", List.of("fd00::7"));

    private final DownloadPolicy policy = new DownloadPolicy(List.of("127.0.0.1:9082", "kie-emulator"), host -> {
        List<String> answer = DNS.get(host);
        if (answer == null) {
            return InetAddress.getAllByName(host); // literals only in these tests: no lookup leaves the machine
        }
        InetAddress[] addresses = new InetAddress[answer.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByAddress(
                    host, InetAddress.getByName(answer.get(i)).getAddress());
        }
        return addresses;
    });

    @Test
    void anHttpsUrlOnAPublicHostIsFetchedFromTheAddressThatWasChecked() throws UnknownHostException {
        DownloadPolicy.Target target = policy.check("https://cdn.example/videos/1.mp4?sig=abc");

        assertThat(target.host()).isEqualTo("cdn.example");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.ssl()).isTrue();
        // an IP literal: the client connects there and never asks DNS again (no rebinding between check and connect)
        assertThat(target.address()).isEqualTo("93.184.216.34");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "http://cdn.example/videos/1.mp4",
                "http://169.254.169.254/latest/meta-data/",
                "ftp://cdn.example/1.mp4",
                "file:///etc/passwd",
                "https://user:pw@cdn.example/1.mp4",
                "https:///no-host",
                "not a url",
                "",
            })
    void anythingButHttpsIsRefused(String url) {
        assertThatThrownBy(() -> policy.check(url)).isInstanceOf(DownloadPolicy.Refused.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "https://169.254.169.254/latest/meta-data/iam/",
                "https://metadata.example/latest/meta-data/",
                "https://billing.internal/internal/grants",
                "https://127.0.0.1:8081/internal/conservation",
                "https://localhost/",
                "https://[::1]/",
                "https://[::ffff:169.254.169.254]/",
                "https://v6private.example/1.mp4",
                "https://127.0.0.1:9083/not-the-allowed-port",
            })
    void anHttpsUrlLeadingToANonPublicAddressIsRefused(String url) {
        assertThatThrownBy(() -> policy.check(url))
                .isInstanceOf(DownloadPolicy.Refused.class)
                .hasMessageContaining("resolves to a");
    }

    @Test
    void aNameWithOnePublicAndOnePrivateAddressIsRefused() {
        assertThatThrownBy(() -> policy.check("https://split.example/1.mp4"))
                .isInstanceOf(DownloadPolicy.Refused.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void anAllowedHostMayBePlainHttpOnALocalAddressAndIsResolvedAsUsual() throws UnknownHostException {
        DownloadPolicy.Target emulator = policy.check("http://127.0.0.1:9082/results/t1/0.mp4");
        assertThat(emulator.ssl()).isFalse();
        assertThat(emulator.address()).isNull();
        assertThat(policy.check("http://KIE-EMULATOR:8080/results/t1/0.mp4").host())
                .isEqualTo("kie-emulator");
        // the allowance is for that host:port only, not for every port of the machine
        assertThatThrownBy(() -> policy.check("http://127.0.0.1:8081/internal/grants"))
                .isInstanceOf(DownloadPolicy.Refused.class)
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void aRefusalNamesTheHostButNeverThePathOrQuery() {
        assertThatThrownBy(() -> policy.check("https://metadata.example/private/path?token=xyz"))
                .hasMessageContaining("metadata.example")
                .hasMessageNotContaining("/private/path")
                .hasMessageNotContaining("xyz");
    }
}
