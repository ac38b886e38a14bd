package com.neurocards.chaos;

import com.neurocards.emulators.telegram.BotApiError;
import com.neurocards.harness.NeuroCardsSystem;
import com.neurocards.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What goes wrong during the run, besides the KIE fault mix (which the emulator draws itself): every ~{@code
 * killEvery} a random running service instance is killed with SIGKILL and a supervisor starts it again at once; every
 * ~{@code telegram429Every} the next call of a random sending method is answered 429 by the Telegram emulator; and,
 * once each, every database connection is dropped and the broker fault ({@link BrokerFault}) happens.
 */
final class Chaos {

    /** Bot API methods the services send with; a 429 on any of them must only delay it. */
    static final List<String> SENDING_METHODS =
            List.of("sendVideo", "sendMessage", "editMessageCaption", "editMessageText", "sendPhoto");

    record Instance(String name, ServiceProcess process) {}

    private final NeuroCardsSystem system;
    private final ChaosOptions options;
    private final BrokerFault brokerFault;
    private final List<Instance> instances = new ArrayList<>();
    private final Random random;
    private final Set<Instance> restarting = ConcurrentHashMap.newKeySet();
    private final ExecutorService supervisor = Executors.newCachedThreadPool(daemon("chaos-supervisor"));
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean running;

    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger restarts = new AtomicInteger();
    final AtomicInteger failedRestarts = new AtomicInteger();
    final AtomicInteger skippedKills = new AtomicInteger();
    final AtomicInteger telegram429sPlanned = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile int databaseConnectionsDropped = -1;
    volatile String brokerOutcome;
    final AtomicInteger brokerFaults = new AtomicInteger();

    Chaos(NeuroCardsSystem system, ChaosOptions options, BrokerFault brokerFault) {
        this.system = system;
        this.options = options;
        this.brokerFault = brokerFault;
        this.random = new Random(options.seed() * 31 + 7);
        add("billing", system.billings);
        add("pipeline", system.pipelines);
        add("gateway", system.gateways);
    }

    private void add(String service, List<ServiceProcess> processes) {
        for (int i = 0; i < processes.size(); i++) {
            instances.add(new Instance(service + "-" + (i + 1), processes.get(i)));
        }
    }

    /** Starts the kill and Telegram-429 loops. */
    void start() {
        running = true;
        if (!options.killEvery().isZero()) {
            loop("chaos-killer", options.killEvery(), this::killOne);
        }
        if (!options.telegram429Every().isZero()) {
            loop("chaos-telegram", options.telegram429Every(), this::telegram429);
        }
    }

    private void loop(String name, Duration every, Runnable action) {
        Thread thread = new Thread(
                () -> {
                    while (running) {
                        // ~every: between 75 % and 125 % of it
                        long wait = (long) (every.toMillis() * (0.75 + 0.5 * nextDouble()));
                        if (!sleep(wait)) {
                            return;
                        }
                        if (running) {
                            action.run();
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        loops.add(thread);
        thread.start();
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /**
     * kill -9 a random instance that is up, and have the supervisor bring it back. One instance is down at a time: while
     * the last victim is still starting (slow on a loaded machine), this round is skipped, so the run tests the loss of
     * an instance rather than of a whole service.
     */
    private void killOne() {
        if (!restarting.isEmpty()) {
            skippedKills.incrementAndGet();
            return;
        }
        List<Instance> up = instances.stream()
                .filter(i -> !restarting.contains(i) && i.process().isRunning())
                .toList();
        if (up.isEmpty()) {
            return;
        }
        Instance victim = up.get(nextInt(up.size()));
        restarting.add(victim);
        victim.process().kill(); // SIGKILL (Process.destroyForcibly), and waits until it is gone
        kills.incrementAndGet();
        event("killed " + victim.name() + " (kill -9)");
        supervisor.submit(() -> bringBack(victim));
    }

    /** The supervisor: starts the instance again on its port, trying up to five times. */
    private void bringBack(Instance instance) {
        try {
            for (int attempt = 1; attempt <= 5; attempt++) {
                try {
                    long started = System.nanoTime();
                    instance.process().start();
                    restarts.incrementAndGet();
                    event("restarted " + instance.name() + " in "
                            + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
                    return;
                } catch (RuntimeException e) {
                    instance.process().kill();
                    event("restart of " + instance.name() + " failed (attempt " + attempt + "): " + e.getMessage());
                }
            }
            failedRestarts.incrementAndGet();
        } finally {
            restarting.remove(instance);
        }
    }

    private void telegram429() {
        String method = SENDING_METHODS.get(nextInt(SENDING_METHODS.size()));
        system.telegram.failNext(method, 1, BotApiError.tooManyRequests(1 + nextInt(3)));
        telegram429sPlanned.incrementAndGet();
    }

    private final java.util.concurrent.atomic.AtomicBoolean databaseDropDone =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean brokerFaultDone =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Ends every connection to the run's database, once (later calls do nothing). */
    void dropDatabaseConnections() {
        if (!databaseDropDone.compareAndSet(false, true)) {
            return;
        }
        databaseConnectionsDropped = system.infra.database().dropConnections();
        event("dropped every database connection (" + databaseConnectionsDropped + ")");
    }

    /** The broker fault, once (in the background, as stopping a node takes a while; later calls do nothing). */
    void brokerFault() {
        if (!brokerFaultDone.compareAndSet(false, true)) {
            return;
        }
        supervisor.submit(() -> {
            try {
                brokerOutcome = brokerFault.inject();
                brokerFaults.incrementAndGet();
            } catch (Exception e) {
                brokerOutcome = "failed: " + e.getMessage();
            }
            event("broker: " + brokerOutcome);
        });
    }

    /**
     * Does the one-off faults now if the run's progress has not triggered them yet, stops the loops, lets the supervisor
     * finish (restarts, the broker fault), and starts any instance that is still down; returns once every instance is
     * up.
     */
    void stop() throws InterruptedException {
        dropDatabaseConnections();
        brokerFault();
        running = false;
        for (Thread loop : loops) {
            loop.interrupt();
            loop.join(5000);
        }
        system.telegram.clearFaults();
        supervisor.shutdown();
        supervisor.awaitTermination(5, TimeUnit.MINUTES);
        for (Instance instance : instances) {
            if (!instance.process().isRunning()) {
                instance.process().kill();
                instance.process().start();
                event("started " + instance.name() + " again after the chaos");
            }
        }
    }

    private void event(String what) {
        String line = Instant.now() + " " + what;
        events.add(line);
        System.out.println("[chaos] " + line);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
