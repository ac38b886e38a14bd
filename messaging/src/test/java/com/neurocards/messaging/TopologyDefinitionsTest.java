package com.neurocards.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.messaging.broker.TopologyDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopologyDefinitionsTest {

    @Test
    void theCommittedDefinitionsFileMatchesTheTopologyTheServicesDeclare() throws Exception {
        Path committed = Path.of("..", "infra", "rabbitmq", "definitions.json");

        assertThat(Files.readString(committed))
                .as(
                        "regenerate with: java -cp ... %s (see infra/rabbitmq/README.md)",
                        TopologyDefinitions.class.getName())
                .isEqualTo(TopologyDefinitions.render("/"));
    }

    @Test
    void theCommittedBrokerUsersTableMatchesTheUsersInCode() throws Exception {
        Path committed = Path.of("..", "infra", "rabbitmq", "broker-users.tsv");

        assertThat(Files.readString(committed))
                .as("regenerate with %s (see infra/rabbitmq/README.md)", TopologyDefinitions.class.getName())
                .isEqualTo(TopologyDefinitions.renderUsers());
    }
}
