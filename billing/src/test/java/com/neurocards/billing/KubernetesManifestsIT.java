package com.neurocards.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocards.testing.KubernetesManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and Helm chart `mvn package` generated for billing (docs/deployment.md): probes on
 * /q/health/*, resource limits, every secret from a Secret. And what infra/k8s gives all three services: the shared
 * ConfigMap holds no secret, the Secret template has every key billing reads, and the broker users' permissions are
 * the generated ones of infra/rabbitmq/broker-users.tsv.
 */
class KubernetesManifestsIT {

    private static final Set<String> SECRETS = Set.of("RABBITMQ_PASSWORD", "DB_PASSWORD", "BILLING_INTERNAL_TOKEN");

    private static final Path INFRA = Path.of("../infra/k8s");

    @Test
    void theGeneratedDeploymentIsSafeToApply() {
        KubernetesManifests manifests = KubernetesManifests.read(Path.of("target/kubernetes/kubernetes.yml"));
        assertThat(manifests.deploymentProblems("billing", 8081, SECRETS)).isEmpty();
        assertThat(manifests.find("NetworkPolicy", "billing").isMissingNode())
                .as("billing listens on the pod's address only behind its NetworkPolicy")
                .isFalse();
        assertThat(KubernetesManifests.helmTemplateProblems(
                        Path.of("target/helm/kubernetes/billing/templates/deployment.yaml"), SECRETS))
                .isEmpty();
        assertThat(manifests.secretsMissingFrom(KubernetesManifests.read(INFRA.resolve("secrets.template.yml"))))
                .as("Secret keys billing reads that infra/k8s/secrets.template.yml lacks")
                .isEmpty();
    }

    @Test
    void theSharedConfigMapHoldsNoSecret() {
        KubernetesManifests config = KubernetesManifests.read(INFRA.resolve("config.yml"));
        assertThat(config.find("ConfigMap", "neurocards-config").isMissingNode())
                .isFalse();
        assertThat(config.configMapProblems()).isEmpty();
    }

    @Test
    void theBrokerUsersHaveTheGeneratedPermissions() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("../infra/rabbitmq/broker-users.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                expected.put(f[1], "tags=" + f[2] + " configure=" + f[3] + " write=" + f[4] + " read=" + f[5]);
            }
        }
        KubernetesManifests rabbitmq = KubernetesManifests.read(INFRA.resolve("rabbitmq.yml"));
        Map<String, String> actual = new TreeMap<>();
        for (String user : expected.keySet()) {
            JsonNode tags = rabbitmq.find("User", user).path("spec").path("tags");
            JsonNode permissions =
                    rabbitmq.find("Permission", user).path("spec").path("permissions");
            StringBuilder tagList = new StringBuilder();
            tags.forEach(t -> tagList.append(tagList.isEmpty() ? "" : ",").append(t.asText()));
            actual.put(
                    user,
                    "tags=" + (tagList.isEmpty() ? "-" : tagList) + " configure="
                            + permissions.path("configure").asText() + " write="
                            + permissions.path("write").asText() + " read="
                            + permissions.path("read").asText());
        }
        assertThat(actual).isEqualTo(expected);
    }
}
