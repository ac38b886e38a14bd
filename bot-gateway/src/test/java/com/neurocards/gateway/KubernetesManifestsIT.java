package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.testing.KubernetesManifests;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and Helm chart `mvn package` generated for the gateway (docs/deployment.md): probes on
 * /q/health/*, resource limits, every secret from a Secret.
 */
class KubernetesManifestsIT {

    private static final Set<String> SECRETS = Set.of(
            "RABBITMQ_PASSWORD",
            "DB_PASSWORD",
            "TELEGRAM_BOT_TOKEN",
            "BILLING_INTERNAL_TOKEN",
            "TELEGRAM_WEBHOOK_SECRET");

    @Test
    void theGeneratedDeploymentIsSafeToApply() {
        KubernetesManifests manifests = KubernetesManifests.read(Path.of("target/kubernetes/kubernetes.yml"));
        assertThat(manifests.deploymentProblems("bot-gateway", 8080, SECRETS)).isEmpty();
        assertThat(KubernetesManifests.helmTemplateProblems(
                        Path.of("target/helm/kubernetes/bot-gateway/templates/deployment.yaml"), SECRETS))
                .isEmpty();
        assertThat(manifests.secretsMissingFrom(KubernetesManifests.read(Path.of("../infra/k8s/secrets.template.yml"))))
                .as("Secret keys bot-gateway reads that infra/k8s/secrets.template.yml lacks")
                .isEmpty();
    }
}
