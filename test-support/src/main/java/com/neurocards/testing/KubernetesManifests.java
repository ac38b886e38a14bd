package com.neurocards.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What matters in the Kubernetes manifests Quarkus generates for a service ({@code target/kubernetes/kubernetes.yml},
 * docs/deployment.md), checked by reading them as Kubernetes will: the Deployment, its probes on {@code /q/health/*}
 * at the container's HTTP port, resource requests and limits, every secret from a Secret by key and none as a plain
 * value, and for the pipeline a KEDA ScaledObject scaling that Deployment on its own work queues. Each check returns
 * the problems it found, in words, so a test asserts an empty list and a failure says what is wrong.
 */
public final class KubernetesManifests {

    /**
     * Names that hold a secret (docs/security.md, "Production checklist"), whatever service reads them. An env var
     * with one of these names, or any name ending in TOKEN, SECRET, PASSWORD, KEY or KEYS, must never carry a plain
     * {@code value}.
     */
    public static final Set<String> SECRET_VARIABLES = Set.of(
            "TELEGRAM_BOT_TOKEN",
            "TELEGRAM_WEBHOOK_SECRET",
            "BILLING_INTERNAL_TOKEN",
            "KIE_API_KEYS",
            "KIE_CALLBACK_SECRET",
            "KIE_WEBHOOK_HMAC_KEY",
            "LLM_API_KEY",
            "RABBITMQ_PASSWORD",
            "DB_PASSWORD");

    private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|SECRET|PASSWORD|_KEY|_KEYS)$");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<JsonNode> resources;

    private KubernetesManifests(List<JsonNode> resources) {
        this.resources = List.copyOf(resources);
    }

    /** Every resource of a (multi-document) YAML file. */
    public static KubernetesManifests read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every resource of a (multi-document) YAML text. */
    public static KubernetesManifests parse(String yaml) {
        List<JsonNode> resources = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode resource = values.next();
                if (resource != null && resource.isObject()) {
                    resources.add(resource);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML", e);
        }
        return new KubernetesManifests(resources);
    }

    public List<JsonNode> resources() {
        return resources;
    }

    /** The resource of this kind and name, or a missing node. */
    public JsonNode find(String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.path("kind").asText())
                        && name.equals(r.path("metadata").path("name").asText()))
                .findFirst()
                .orElse(MissingNode.getInstance());
    }

    /**
     * The Deployment {@code name}: it exists; its container listens on {@code port}; readiness, liveness and startup
     * probes ask {@code /q/health/ready}, {@code /q/health/live} and {@code /q/health/started} on that port; CPU and
     * memory have requests and limits; each of {@code requiredSecrets} comes from a Secret by key; and no env var
     * that names a secret has a plain value.
     */
    public List<String> deploymentProblems(String name, int port, Set<String> requiredSecrets) {
        List<String> problems = new ArrayList<>();
        JsonNode deployment = find("Deployment", name);
        if (deployment.isMissingNode()) {
            problems.add("no Deployment named " + name);
            return problems;
        }
        JsonNode containers =
                deployment.path("spec").path("template").path("spec").path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            problems.add(name + ": the Deployment has no container");
            return problems;
        }
        for (JsonNode container : containers) {
            String where = name + "/" + container.path("name").asText("?");
            boolean listens = false;
            for (JsonNode p : container.path("ports")) {
                listens |= p.path("containerPort").asInt() == port;
            }
            if (!listens) {
                problems.add(where + ": no containerPort " + port);
            }
            probe(problems, where, container, "readinessProbe", "/q/health/ready", port);
            probe(problems, where, container, "livenessProbe", "/q/health/live", port);
            probe(problems, where, container, "startupProbe", "/q/health/started", port);
            JsonNode resources = container.path("resources");
            for (String bound : List.of("limits", "requests")) {
                for (String what : List.of("cpu", "memory")) {
                    if (resources.path(bound).path(what).asText("").isBlank()) {
                        problems.add(where + ": resources." + bound + "." + what + " is not set");
                    }
                }
            }
            List<String> fromSecrets = new ArrayList<>();
            for (JsonNode env : container.path("env")) {
                String variable = env.path("name").asText();
                boolean secret = SECRET_VARIABLES.contains(variable)
                        || SECRET_NAME.matcher(variable).matches();
                if (secret && env.has("value")) {
                    problems.add(where + ": " + variable + " is a secret with a plain value");
                }
                JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                if (!ref.path("name").asText("").isBlank()
                        && !ref.path("key").asText("").isBlank()) {
                    fromSecrets.add(variable);
                }
            }
            for (String required : requiredSecrets) {
                if (!fromSecrets.contains(required)) {
                    problems.add(where + ": " + required + " does not come from a Secret (valueFrom.secretKeyRef)");
                }
            }
        }
        return problems;
    }

    private static void probe(
            List<String> problems, String where, JsonNode container, String probe, String path, int port) {
        JsonNode get = container.path(probe).path("httpGet");
        if (get.isMissingNode()) {
            problems.add(where + ": no " + probe);
            return;
        }
        if (!path.equals(get.path("path").asText())) {
            problems.add(where + ": " + probe + " asks " + get.path("path").asText() + ", not " + path);
        }
        JsonNode probePort = get.path("port");
        boolean rightPort =
                probePort.isInt() ? probePort.asInt() == port : namedPort(container, probePort.asText()) == port;
        if (!rightPort) {
            problems.add(where + ": " + probe + " asks port " + probePort.asText() + ", not " + port);
        }
    }

    private static int namedPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    /**
     * The KEDA ScaledObject {@code name}: it scales the Deployment {@code deployment} (present in these manifests), at
     * least one instance always; every trigger is KEDA's RabbitMQ scaler on one of {@code queues}, authenticated by a
     * TriggerAuthentication in these manifests that takes its parameters from a Secret.
     */
    public List<String> scaledObjectProblems(String name, String deployment, Set<String> queues) {
        List<String> problems = new ArrayList<>();
        JsonNode scaled = find("ScaledObject", name);
        if (scaled.isMissingNode()) {
            problems.add("no ScaledObject named " + name);
            return problems;
        }
        if (!scaled.path("apiVersion").asText().startsWith("keda.sh/")) {
            problems.add(name + ": not a KEDA ScaledObject ("
                    + scaled.path("apiVersion").asText() + ")");
        }
        JsonNode target = scaled.path("spec").path("scaleTargetRef");
        if (!deployment.equals(target.path("name").asText())
                || !target.path("kind").asText("Deployment").equals("Deployment")) {
            problems.add(name + ": scales " + target + ", not the Deployment " + deployment);
        }
        if (find("Deployment", deployment).isMissingNode()) {
            problems.add(name + ": the Deployment " + deployment + " it scales is not in the manifests");
        }
        if (scaled.path("spec").path("minReplicaCount").asInt(0) < 1) {
            problems.add(name + ": minReplicaCount below 1 (the pipeline's sweep and callbacks need an instance)");
        }
        JsonNode triggers = scaled.path("spec").path("triggers");
        if (!triggers.isArray() || triggers.isEmpty()) {
            problems.add(name + ": no trigger");
        }
        for (JsonNode trigger : triggers) {
            String queue = trigger.path("metadata").path("queueName").asText();
            if (!"rabbitmq".equals(trigger.path("type").asText())) {
                problems.add(
                        name + ": a trigger of type " + trigger.path("type").asText() + ", not rabbitmq");
            }
            if (!queues.contains(queue)) {
                problems.add(name + ": a trigger on " + (queue.isEmpty() ? "no queue" : queue)
                        + ", not one of the pipeline's work queues " + queues);
            }
            if (trigger.path("metadata").path("value").asText("").isBlank()) {
                problems.add(name + ": the trigger on " + queue + " has no target value");
            }
            if (trigger.path("metadata").has("host")) {
                problems.add(name + ": the trigger on " + queue + " has the broker's address (and password) inline");
            }
            String auth = trigger.path("authenticationRef").path("name").asText();
            JsonNode authentication = find("TriggerAuthentication", auth);
            if (authentication.isMissingNode()) {
                problems.add(name + ": the trigger on " + queue + " names no TriggerAuthentication in the manifests");
            } else if (authentication.path("spec").path("secretTargetRef").isEmpty()) {
                problems.add(name + ": TriggerAuthentication " + auth + " takes nothing from a Secret");
            }
        }
        return problems;
    }

    /** Every {@code secret/key} the containers of these manifests read through {@code valueFrom.secretKeyRef}. */
    public Set<String> secretKeyRefs() {
        Set<String> refs = new TreeSet<>();
        for (JsonNode resource : resources) {
            for (JsonNode container :
                    resource.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (ref.isObject()) {
                        refs.add(ref.path("name").asText() + "/"
                                + ref.path("key").asText());
                    }
                }
            }
        }
        return refs;
    }

    /** Every {@code secret/key} the Secrets of these manifests hold ({@code data} or {@code stringData}). */
    public Set<String> secretKeys() {
        Set<String> keys = new TreeSet<>();
        for (JsonNode resource : resources) {
            if ("Secret".equals(resource.path("kind").asText())) {
                String name = resource.path("metadata").path("name").asText();
                for (String part : List.of("data", "stringData")) {
                    resource.path(part).fieldNames().forEachRemaining(key -> keys.add(name + "/" + key));
                }
            }
        }
        return keys;
    }

    /**
     * Every {@code secret/key} read by these manifests (containers, KEDA TriggerAuthentications) that {@code template}
     * (infra/k8s/secrets.template.yml) does not hold, except the Secret CloudNativePG makes itself,
     * {@code neurocards-db-app}.
     */
    public List<String> secretsMissingFrom(KubernetesManifests template) {
        Set<String> read = new TreeSet<>(secretKeyRefs());
        for (JsonNode resource : resources) {
            if ("TriggerAuthentication".equals(resource.path("kind").asText())) {
                for (JsonNode ref : resource.path("spec").path("secretTargetRef")) {
                    read.add(ref.path("name").asText() + "/" + ref.path("key").asText());
                }
            }
        }
        read.removeIf(ref -> ref.startsWith("neurocards-db-app/"));
        read.removeAll(template.secretKeys());
        return List.copyOf(read);
    }

    /** Every ConfigMap key that names a secret: ConfigMaps are readable by anyone who may read the namespace. */
    public List<String> configMapProblems() {
        List<String> problems = new ArrayList<>();
        for (JsonNode resource : resources) {
            if ("ConfigMap".equals(resource.path("kind").asText())) {
                resource.path("data").fieldNames().forEachRemaining(key -> {
                    if (SECRET_VARIABLES.contains(key)
                            || SECRET_NAME.matcher(key).matches()) {
                        problems.add("ConfigMap "
                                + resource.path("metadata").path("name").asText() + ": " + key + " is a secret");
                    }
                });
            }
        }
        return problems;
    }

    /**
     * The Helm chart's Deployment template (not plain YAML: it holds {@code {{ }}} expressions): each of
     * {@code requiredSecrets} is declared with {@code valueFrom.secretKeyRef}, none with a {@code value}.
     */
    public static List<String> helmTemplateProblems(Path deploymentTemplate, Set<String> requiredSecrets) {
        List<String> problems = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(deploymentTemplate);
        } catch (IOException e) {
            problems.add("no Helm Deployment template " + deploymentTemplate);
            return problems;
        }
        for (String secret : requiredSecrets) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).trim().equals("- name: " + secret)) {
                    at = i;
                }
            }
            if (at < 0 || at + 2 >= lines.size()) {
                problems.add("Helm template: no env var " + secret);
            } else if (!lines.get(at + 1).trim().equals("valueFrom:")
                    || !lines.get(at + 2).trim().equals("secretKeyRef:")) {
                problems.add("Helm template: " + secret + " is not taken from a Secret ("
                        + lines.get(at + 1).trim() + ")");
            }
        }
        return problems;
    }
}
