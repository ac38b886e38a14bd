package com.neurocards.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The manifest checks find what they are for: each broken manifest here is one a deployment must not get. */
class KubernetesManifestsTest {

    private static final Set<String> SECRETS = Set.of("RABBITMQ_PASSWORD", "KIE_API_KEYS");
    private static final Set<String> QUEUES = Set.of("pipeline.deliver");

    private static final String GOOD =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: generation-pipeline
            spec:
              template:
                spec:
                  containers:
                    - name: generation-pipeline
                      env:
                        - name: RABBITMQ_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: neurocards-rabbitmq-pipeline
                              key: password
                        - name: KIE_API_KEYS
                          valueFrom:
                            secretKeyRef:
                              name: neurocards-secrets
                              key: kie-api-keys
                        - name: JAVA_TOOL_OPTIONS
                          value: -XX:MaxRAMPercentage=75.0
                      ports:
                        - containerPort: 8082
                          name: http
                      readinessProbe:
                        httpGet:
                          path: /q/health/ready
                          port: 8082
                      livenessProbe:
                        httpGet:
                          path: /q/health/live
                          port: http
                      startupProbe:
                        httpGet:
                          path: /q/health/started
                          port: 8082
                      resources:
                        limits:
                          cpu: "2"
                          memory: 768Mi
                        requests:
                          cpu: 500m
                          memory: 640Mi
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: generation-pipeline
            spec:
              scaleTargetRef:
                name: generation-pipeline
              minReplicaCount: 2
              triggers:
                - type: rabbitmq
                  metadata:
                    protocol: http
                    mode: QueueLength
                    queueName: pipeline.deliver
                    value: "6"
                  authenticationRef:
                    name: neurocards-keda-rabbitmq
            ---
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata:
              name: neurocards-keda-rabbitmq
            spec:
              secretTargetRef:
                - parameter: host
                  name: neurocards-keda-rabbitmq
                  key: host
            """;

    private static KubernetesManifests good(String from, String to) {
        assertThat(GOOD).contains(from);
        return KubernetesManifests.parse(GOOD.replace(from, to));
    }

    @Test
    void aGoodManifestHasNoProblem() {
        KubernetesManifests manifests = KubernetesManifests.parse(GOOD);
        assertThat(manifests.deploymentProblems("generation-pipeline", 8082, SECRETS))
                .isEmpty();
        assertThat(manifests.scaledObjectProblems("generation-pipeline", "generation-pipeline", QUEUES))
                .isEmpty();
    }

    @Test
    void aMissingOrWrongProbeIsFound() {
        assertThat(good("readinessProbe:", "readinessProbeGone:")
                        .deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly("generation-pipeline/generation-pipeline: no readinessProbe");
        assertThat(good("path: /q/health/live", "path: /").deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly("generation-pipeline/generation-pipeline: livenessProbe asks /, not /q/health/live");
        assertThat(good(
                                "path: /q/health/started\n              port: 8082",
                                "path: /q/health/started\n              port: 9")
                        .deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly("generation-pipeline/generation-pipeline: startupProbe asks port 9, not 8082");
    }

    @Test
    void aMissingLimitIsFound() {
        assertThat(good("memory: 768Mi", "").deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly("generation-pipeline/generation-pipeline: resources.limits.memory is not set");
        assertThat(good("cpu: \"2\"", "").deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly("generation-pipeline/generation-pipeline: resources.limits.cpu is not set");
    }

    @Test
    void aSecretInPlainEnvIsFound() {
        String withPlainKey = GOOD.replaceFirst(
                "(- name: KIE_API_KEYS\\n\\s+)valueFrom:\\n\\s+secretKeyRef:\\n\\s+name: neurocards-secrets\\n\\s+key:"
                        + " kie-api-keys",
                "$1value: a-real-key");
        assertThat(withPlainKey).isNotEqualTo(GOOD);
        KubernetesManifests plain = KubernetesManifests.parse(withPlainKey);
        assertThat(plain.deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly(
                        "generation-pipeline/generation-pipeline: KIE_API_KEYS is a secret with a plain value",
                        "generation-pipeline/generation-pipeline: KIE_API_KEYS does not come from a Secret"
                                + " (valueFrom.secretKeyRef)");
        // a secret the list does not know yet is recognised by its name
        assertThat(good("JAVA_TOOL_OPTIONS", "NEW_PROVIDER_TOKEN")
                        .deploymentProblems("generation-pipeline", 8082, SECRETS))
                .containsExactly(
                        "generation-pipeline/generation-pipeline: NEW_PROVIDER_TOKEN is a secret with a plain value");
    }

    @Test
    void aScaledObjectOnTheWrongTargetOrQueueIsFound() {
        assertThat(good("scaleTargetRef:\n    name: generation-pipeline", "scaleTargetRef:\n    name: billing")
                        .scaledObjectProblems("generation-pipeline", "generation-pipeline", QUEUES))
                .singleElement()
                .asString()
                .contains("not the Deployment generation-pipeline");
        assertThat(good("queueName: pipeline.deliver", "queueName: pipeline.typo")
                        .scaledObjectProblems("generation-pipeline", "generation-pipeline", QUEUES))
                .singleElement()
                .asString()
                .contains("a trigger on pipeline.typo, not one of the pipeline's work queues");
        assertThat(good("kind: TriggerAuthentication", "kind: Nothing")
                        .scaledObjectProblems("generation-pipeline", "generation-pipeline", QUEUES))
                .singleElement()
                .asString()
                .contains("names no TriggerAuthentication");
        assertThat(good("kind: ScaledObject", "kind: HorizontalPodAutoscaler")
                        .scaledObjectProblems("generation-pipeline", "generation-pipeline", QUEUES))
                .containsExactly("no ScaledObject named generation-pipeline");
    }

    @Test
    void aSecretInAConfigMapIsFound() {
        KubernetesManifests config = KubernetesManifests.parse(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: neurocards-config
                data:
                  RABBITMQ_HOST: neurocards-rabbitmq
                  DB_PASSWORD: oops
                """);
        assertThat(config.configMapProblems()).containsExactly("ConfigMap neurocards-config: DB_PASSWORD is a secret");
    }
}
