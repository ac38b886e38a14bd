package com.neurocards.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.neurocards.testing.InfrastructureChoice.Mode;
import com.neurocards.testing.InfrastructureChoice.Source;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfrastructureChoiceTest {

    private static final String LOCAL = "RabbitMQ 127.0.0.1:5672 (management 15672), PostgreSQL 127.0.0.1:5432";
    /** A probe the decision must not need: asking it fails the test. */
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("probed although the answer does not matter");
    };

    @ParameterizedTest(name = "{0}: local answers {1}, Docker answers {2} -> {3}")
    @CsvSource({
        "AUTO,       true,  true,  LOCAL",
        "AUTO,       true,  false, LOCAL",
        "AUTO,       false, true,  CONTAINERS",
        "CONTAINERS, true,  true,  CONTAINERS",
        "CONTAINERS, false, true,  CONTAINERS",
        "LOCAL,      true,  true,  LOCAL",
        "LOCAL,      false, true,  LOCAL",
        "LOCAL,      false, false, LOCAL",
    })
    void theServicesComeFromWhereTheSwitchAndTheMachineSay(
            Mode mode, boolean localAnswers, boolean dockerAnswers, Source expected) {
        assertThat(InfrastructureChoice.choose(mode, () -> localAnswers, () -> dockerAnswers, LOCAL))
                .isEqualTo(expected);
    }

    @Test
    void runningLocalServicesAreUsedWithoutAskingForDocker() {
        assertThat(InfrastructureChoice.choose(Mode.AUTO, () -> true, NOT_ASKED, LOCAL))
                .isEqualTo(Source.LOCAL);
    }

    @Test
    void anExplicitChoiceProbesOnlyWhatItNeeds() {
        assertThat(InfrastructureChoice.choose(Mode.LOCAL, NOT_ASKED, NOT_ASKED, LOCAL))
                .isEqualTo(Source.LOCAL);
        assertThat(InfrastructureChoice.choose(Mode.CONTAINERS, NOT_ASKED, () -> true, LOCAL))
                .isEqualTo(Source.CONTAINERS);
    }

    @Test
    void withNeitherLocalServicesNorDockerTheFailureSaysWhatToStart() {
        assertThatThrownBy(() -> InfrastructureChoice.choose(Mode.AUTO, () -> false, () -> false, LOCAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(LOCAL)
                .hasMessageContaining("infra/local/up.sh")
                .hasMessageContaining("Docker");
    }

    @Test
    void askingForContainersWithoutDockerFailsInsteadOfFallingBackToLocalServices() {
        assertThatThrownBy(() -> InfrastructureChoice.choose(Mode.CONTAINERS, () -> true, () -> false, LOCAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neurocards.test.infra=containers")
                .hasMessageContaining("no Docker engine answers");
    }

    @ParameterizedTest
    @CsvSource(
            value = {"auto,AUTO", "Local,LOCAL", " containers ,CONTAINERS", "'',AUTO"},
            ignoreLeadingAndTrailingWhitespace = false)
    void theSwitchIsReadWhateverItsCase(String value, Mode expected) {
        assertThat(Mode.parse(value)).isEqualTo(expected);
    }

    @Test
    void anUnknownSwitchValueIsRefusedNamingTheChoices() {
        assertThat(Mode.parse(null)).isEqualTo(Mode.AUTO);
        assertThatThrownBy(() -> Mode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, local or containers")
                .hasMessageContaining("docker");
    }
}
