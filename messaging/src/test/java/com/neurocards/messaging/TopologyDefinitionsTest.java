package com.neurocards.messaging;

import com.neurocards.messaging.broker.TopologyDefinitions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyDefinitionsTest {

    @Test
    void theCommittedDefinitionsFileMatchesTheTopologyTheServicesDeclare() throws Exception {
        Path committed = Path.of("..", "infra", "rabbitmq", "definitions.json");

        assertThat(Files.readString(committed))
                .as("regenerate with: java -cp ... %s (see infra/rabbitmq/README.md)", TopologyDefinitions.class.getName())
                .isEqualTo(TopologyDefinitions.render("/"));
    }
}
