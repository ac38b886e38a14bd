package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address guard of result downloads: only public unicast addresses may be connected to. */
class PublicAddressesTest {

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "169.254.169.254          | link-local",
                "169.254.0.1              | link-local",
                "127.0.0.1                | loopback",
                "127.8.9.10               | loopback",
                "10.0.0.5                 | private",
                "172.16.0.1               | private",
                "172.31.255.255           | private",
                "192.168.1.1              | private",
                "100.64.0.1               | CGNAT",
                "0.0.0.0                  | unspecified",
                "0.1.2.3                  | unspecified",
                "224.0.0.1                | multicast",
                "239.255.255.250          | multicast",
                "255.255.255.255          | broadcast",
                "240.0.0.1                | reserved",
                "192.0.2.10               | documentation",
                "198.18.0.1               | benchmarking",
                "::                       | unspecified",
                "::1                      | loopback",
                "fe80::1                  | link-local",
                "fc00::1                  | unique-local",
                "fd12:3456:789a::1        | unique-local",
                "fec0::1                  | site-local",
                "ff02::1                  | multicast",
                "2001:db8::1              | documentation",
                "::ffff:127.0.0.1         | loopback",
                "::ffff:169.254.169.254   | link-local",
                "::ffff:a9fe:a9fe         | link-local",
                "::ffff:10.1.2.3          | private",
                "::127.0.0.1              | IPv4-compatible",
                "64:ff9b::a9fe:a9fe       | link-local",
                "64:ff9b::7f00:1          | loopback",
                "64:ff9b:1::1             | NAT64",
                "2002:a9fe:a9fe::1        | link-local",
                "2002:c0a8:0101::1        | private",
                "2001:0:4136:e378::1      | Teredo",
                "100::1                   | discard",
            })
    void refusesEveryAddressThatIsNotPublic(String literal, String why) throws UnknownHostException {
        assertThat(PublicAddresses.refusal(InetAddress.getByName(literal)))
                .hasValueSatisfying(reason -> assertThat(reason).containsIgnoringCase(why));
    }

    @ParameterizedTest(name = "{0} is public")
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "93.184.216.34",
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "169.253.255.255",
                "11.0.0.1",
                "2606:4700:4700::1111",
                "2a00:1450:4001:80b::200e",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808",
                "2002:0808:0808::1",
            })
    void allowsPublicAddresses(String literal) throws UnknownHostException {
        assertThat(PublicAddresses.refusal(InetAddress.getByName(literal))).isEmpty();
    }

    @ParameterizedTest(name = "mapped {0} is judged by its IPv4 address")
    @ValueSource(strings = {"127.0.0.1", "169.254.169.254", "10.0.0.1"})
    void anIpv4MappedAddressKeptAsIpv6IsJudgedByItsIpv4Address(String v4) throws UnknownHostException {
        // the JDK parses ::ffff:a.b.c.d into an IPv4 address; a resolver can still hand over the 16-byte form
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, mapped, 12, 4);
        assertThat(PublicAddresses.refusal(mapped)).isPresent();
        System.arraycopy(InetAddress.getByName("8.8.4.4").getAddress(), 0, mapped, 12, 4);
        assertThat(PublicAddresses.refusal(mapped)).isEmpty();
    }
}
