package com.neurocards.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocards.contracts.BrokerAddresses.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerAddressesTest {

    @Test
    void withoutAListTheOneNodeOfHostAndPort() {
        assertThat(BrokerAddresses.of(null, "rabbit", 5672)).containsExactly(new Node("rabbit", 5672));
        assertThat(BrokerAddresses.of("  ", "rabbit", 5672)).containsExactly(new Node("rabbit", 5672));
        assertThat(BrokerAddresses.of(" , ", "rabbit", 5672)).containsExactly(new Node("rabbit", 5672));
    }

    @Test
    void aListInItsOrderWithTheDefaultPortWhereNoneIsGiven() {
        List<Node> nodes = BrokerAddresses.of("127.0.0.1:5681, 127.0.0.1:5682,rabbit-3", "ignored", 5672);
        assertThat(nodes)
                .containsExactly(new Node("127.0.0.1", 5681), new Node("127.0.0.1", 5682), new Node("rabbit-3", 5672));
        assertThat(BrokerAddresses.describe(nodes)).isEqualTo("127.0.0.1:5681,127.0.0.1:5682,rabbit-3:5672");
    }

    @Test
    void ipv6InBrackets() {
        assertThat(BrokerAddresses.of("[::1]:5681,[fe80::1]", "h", 5672))
                .containsExactly(new Node("::1", 5681), new Node("fe80::1", 5672));
        assertThat(BrokerAddresses.describe(List.of(new Node("::1", 5681)))).isEqualTo("[::1]:5681");
    }

    @Test
    void aMalformedEntryIsNamed() {
        for (String bad :
                new String[] {"rabbit:x", "rabbit:0", "rabbit:70000", ":5672", "::1:5672", "[::1", "[::1]x"}) {
            assertThatThrownBy(() -> BrokerAddresses.of("127.0.0.1:5681," + bad, "h", 5672))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("RABBITMQ_ADDRESSES")
                    .hasMessageContaining(bad);
        }
    }
}
