package com.neurocards.cli;

import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code neurocards dlq list|show|requeue|purge}: what died where and why, and putting it back. */
@Command(
        name = "dlq",
        description = "Inspect and re-drive dead-letter queues.",
        mixinStandardHelpOptions = true,
        subcommands = {
            DlqCommand.ListDlqs.class,
            DlqCommand.Show.class,
            DlqCommand.Requeue.class,
            DlqCommand.Purge.class
        })
public class DlqCommand {

    /** DLQ-only headers, dropped when a message goes back to work (it starts its tries afresh). */
    static final Set<String> DEAD_LETTER_HEADERS = Set.of(
            Headers.ERROR_CLASS,
            Headers.CAUSE,
            Headers.STAGE,
            Headers.ORIGINAL_QUEUE,
            Headers.ORIGINAL_ROUTING_KEY,
            Headers.FAILED_AT,
            Headers.ATTEMPT,
            Headers.INFRASTRUCTURE_ATTEMPT,
            "x-death",
            "x-first-death-exchange",
            "x-first-death-queue",
            "x-first-death-reason",
            "x-last-death-exchange",
            "x-last-death-queue",
            "x-last-death-reason");

    static final int MAX_SCAN = 10_000;

    @ParentCommand
    NeuroCardsCli cli;

    /** Accepts a work queue or its DLQ by name ({@code billing.debit} or {@code billing.debit.dlq}). */
    static QueueName queue(String name) {
        try {
            return QueueName.fromQueueName(name);
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (QueueName queue : QueueName.values()) {
                known.add(queue.dlq());
            }
            throw new IllegalArgumentException(
                    "unknown queue '" + name + "'; dead-letter queues are: " + String.join(", ", known));
        }
    }

    @Command(name = "list", description = "Every dead-letter queue with its depth.")
    static class ListDlqs implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Broker broker = dlq.cli.connect()) {
                out.printf("%-28s %10s%n", "DEAD-LETTER QUEUE", "MESSAGES");
                long total = 0;
                for (QueueName queue : QueueName.values()) {
                    long count = broker.messageCount(queue.dlq());
                    out.printf("%-28s %10s%n", queue.dlq(), count < 0 ? "missing" : String.valueOf(count));
                    total += Math.max(0, count);
                }
                out.printf("%-28s %10d%n", "total", total);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "The messages of a DLQ with their cause; they stay in the queue.")
    static class Show implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "QUEUE", description = "e.g. pipeline.submit.dlq")
        String queueName;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many messages (default 20)")
        int limit;

        @Option(names = "--body", description = "Print each message body too")
        boolean body;

        @Override
        public Integer call() throws IOException {
            QueueName queue = queue(queueName);
            PrintWriter out = spec.commandLine().getOut();
            try (Broker broker = dlq.cli.connect()) {
                List<GetResponse> messages = broker.takeUnacked(queue.dlq(), limit);
                out.printf(
                        "%s: showing %d of %d message(s)%n",
                        queue.dlq(), messages.size(), messages.size() + broker.messageCount(queue.dlq()));
                for (GetResponse message : messages) {
                    describe(out, message, body);
                }
                for (GetResponse message : messages) {
                    broker.giveBack(message);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "requeue", description = "Send DLQ messages back to the queue they died in, to be tried afresh.")
    static class Requeue implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "QUEUE")
        String queueName;

        @ArgGroup(multiplicity = "1")
        Selection selection;

        @Override
        public Integer call() throws IOException {
            QueueName queue = queue(queueName);
            PrintWriter out = spec.commandLine().getOut();
            int requeued;
            try (Broker broker = dlq.cli.connect()) {
                requeued = forChosen(broker, queue, selection::matches, message -> {
                    String target = queue(stringHeader(message, Headers.ORIGINAL_QUEUE, queue.queueName()))
                            .queueName();
                    broker.publish(Topology.EXCHANGE, target, redriven(message.getProps()), message.getBody());
                    out.printf("requeued %s → %s%n", message.getProps().getMessageId(), target);
                });
            }
            out.printf("%d message(s) requeued%n", requeued);
            out.flush();
            return selection.missing(requeued) ? 1 : 0;
        }
    }

    @Command(name = "purge", description = "Delete chosen messages from a DLQ for good.")
    static class Purge implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "QUEUE")
        String queueName;

        @Option(names = "--id", required = true, split = ",", description = "Message id(s) to delete")
        List<String> ids;

        @Override
        public Integer call() throws IOException {
            QueueName queue = queue(queueName);
            PrintWriter out = spec.commandLine().getOut();
            int purged;
            try (Broker broker = dlq.cli.connect()) {
                purged = forChosen(
                        broker,
                        queue,
                        message -> ids.contains(message.getProps().getMessageId()),
                        message -> out.printf("purged %s%n", message.getProps().getMessageId()));
            }
            out.printf("%d message(s) purged%n", purged);
            out.flush();
            return purged < ids.size() ? 1 : 0;
        }
    }

    /** What a command does with one chosen message before it is removed from the DLQ. */
    interface MessageAction {
        void apply(GetResponse message) throws IOException;
    }

    /**
     * Takes the DLQ's messages; each {@code chosen} one gets {@code action} and is then removed (acked), every other
     * one goes back. Returns how many were chosen.
     */
    static int forChosen(Broker broker, QueueName queue, Predicate<GetResponse> chosen, MessageAction action)
            throws IOException {
        int count = 0;
        for (GetResponse message : broker.takeUnacked(queue.dlq(), MAX_SCAN)) {
            if (chosen.test(message)) {
                action.apply(message);
                broker.ack(message);
                count++;
            } else {
                broker.giveBack(message);
            }
        }
        return count;
    }

    /** Which messages a command acts on: {@code --id a,b} or {@code --all}. */
    static class Selection {
        @Option(names = "--id", split = ",", description = "Message id(s)")
        List<String> ids;

        @Option(names = "--all", description = "Every message in the queue")
        boolean all;

        boolean matches(GetResponse message) {
            return all || (ids != null && ids.contains(message.getProps().getMessageId()));
        }

        /** With {@code --id}, whether some ids were not found. */
        boolean missing(int found) {
            return !all && ids != null && found < ids.size();
        }
    }

    /** The message's properties for its way back to work: same id and body, DLQ headers off, a note of the re-drive. */
    static AMQP.BasicProperties redriven(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (properties.getHeaders() != null) {
            properties.getHeaders().forEach((key, value) -> {
                if (!DEAD_LETTER_HEADERS.contains(key)) {
                    headers.put(key, value instanceof LongString s ? s.toString() : value);
                }
            });
        }
        headers.put(Headers.REDRIVEN_AT, Instant.now().toString());
        return properties.builder().headers(headers).deliveryMode(2).build();
    }

    static void describe(PrintWriter out, GetResponse message, boolean withBody) {
        AMQP.BasicProperties props = message.getProps();
        out.printf("%n● %s  %s%n", props.getMessageId(), props.getType());
        out.printf(
                "  request %s  job %s%n",
                stringHeader(message, Headers.REQUEST_ID, "-"), stringHeader(message, Headers.JOB_ID, "-"));
        out.printf(
                "  stage %s  error %s  attempts %s  failed at %s%n",
                stringHeader(message, Headers.STAGE, "-"),
                stringHeader(message, Headers.ERROR_CLASS, "-"),
                stringHeader(message, Headers.ATTEMPT, "-"),
                stringHeader(message, Headers.FAILED_AT, "-"));
        out.printf("  cause %s%n", stringHeader(message, Headers.CAUSE, "(none: dead-lettered by the broker)"));
        Object deaths = props.getHeaders() == null ? null : props.getHeaders().get("x-death");
        if (deaths instanceof List<?> list) {
            for (Object death : list) {
                if (death instanceof Map<?, ?> entry) {
                    out.printf(
                            "  x-death: %s from %s ×%s (%s)%n",
                            text(entry.get("reason")),
                            text(entry.get("queue")),
                            text(entry.get("count")),
                            text(entry.get("time")));
                }
            }
        }
        if (withBody) {
            out.printf("  body %s%n", new String(message.getBody(), StandardCharsets.UTF_8));
        }
    }

    static String stringHeader(GetResponse message, String name, String fallback) {
        Map<String, Object> headers = message.getProps().getHeaders();
        Object value = headers == null ? null : headers.get(name);
        return value == null ? fallback : text(value);
    }

    private static String text(Object value) {
        return value instanceof LongString s ? s.toString() : String.valueOf(value);
    }
}
