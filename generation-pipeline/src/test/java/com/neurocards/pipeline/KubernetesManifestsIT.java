package com.neurocards.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.QueueName;
import com.neurocards.testing.KubernetesManifests;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and Helm chart `mvn package` generated for the pipeline (docs/deployment.md): probes on
 * /q/health/*, resource limits, every secret from a Secret, and KEDA scaling this Deployment on its own work queues.
 */
class KubernetesManifestsIT {

    private static final Set<String> SECRETS = Set.of(
            "RABBITMQ_PASSWORD",
            "DB_PASSWORD",
            "TELEGRAM_BOT_TOKEN",
            "KIE_API_KEYS",
            "LLM_API_KEY",
            "KIE_CALLBACK_SECRET",
            "KIE_WEBHOOK_HMAC_KEY");

    /** The queues the pipeline consumes, as the code names them. */
    private static final Set<String> PIPELINE_QUEUES = Arrays.stream(QueueName.values())
            .map(QueueName::queueName)
            .filter(name -> name.startsWith("pipeline."))
            .collect(Collectors.toSet());

    private final KubernetesManifests manifests = KubernetesManifests.read(Path.of("target/kubernetes/kubernetes.yml"));

    @Test
    void theGeneratedDeploymentIsSafeToApply() {
        assertThat(manifests.deploymentProblems("generation-pipeline", 8082, SECRETS))
                .isEmpty();
        assertThat(KubernetesManifests.helmTemplateProblems(
                        Path.of("target/helm/kubernetes/generation-pipeline/templates/deployment.yaml"), SECRETS))
                .isEmpty();
        assertThat(manifests.secretsMissingFrom(KubernetesManifests.read(Path.of("../infra/k8s/secrets.template.yml"))))
                .as("Secret keys generation-pipeline reads that infra/k8s/secrets.template.yml lacks")
                .isEmpty();
    }

    @Test
    void kedaScalesThePipelineOnItsWorkQueues() {
        assertThat(PIPELINE_QUEUES).contains("pipeline.deliver");
        assertThat(manifests.scaledObjectProblems("generation-pipeline", "generation-pipeline", PIPELINE_QUEUES))
                .isEmpty();
        assertThat(Path.of("target/helm/kubernetes/generation-pipeline/templates/scaledobject.yaml"))
                .as("the Helm chart scales the same way")
                .exists();
    }
}
