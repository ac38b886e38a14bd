package com.neurocards.bench;

import com.neurocards.testing.LocalServices;
import com.neurocards.testing.TestVhost;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the broker alone carries on this machine, the way our services use it: persistent messages of an event's size
 * published with confirms to a quorum queue, consumed and acknowledged one by one. Runs in a vhost of its own, removed
 * afterwards.
 */
final class BrokerBaseline {

    private static final String QUEUE = "bench.baseline";
    private static final int PUBLISHERS = 2;
    /** Unconfirmed messages each publisher may have out at once (as a relay with confirms would). */
    private static final int CONFIRM_WINDOW = 256;

    record Result(double messagesPerSecond, int messageBytes, long consumed, Duration measured) {}

    static Result run(Duration duration, int messageBytes) throws Exception {
        try (TestVhost vhost = TestVhost.create()) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(LocalServices.rabbitHost());
            factory.setPort(LocalServices.rabbitPort());
            factory.setUsername(LocalServices.rabbitUser());
            factory.setPassword(LocalServices.rabbitPassword());
            factory.setVirtualHost(vhost.name());
            try (Connection consuming = factory.newConnection("bench-baseline-consumer");
                    Connection publishing = factory.newConnection("bench-baseline-publishers")) {
                Channel consumer = consuming.createChannel();
                consumer.queueDeclare(QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
                consumer.basicQos(500);
                AtomicLong consumed = new AtomicLong();
                consumer.basicConsume(QUEUE, false, new DefaultConsumer(consumer) {
                    @Override
                    public void handleDelivery(
                            String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                            throws java.io.IOException {
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                        consumed.incrementAndGet();
                    }
                });

                byte[] body = new byte[messageBytes];
                java.util.Arrays.fill(body, (byte) 'x');
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .deliveryMode(2)
                        .build();
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> publishers = new ArrayList<>();
                for (int i = 0; i < PUBLISHERS; i++) {
                    ConfirmWindow confirms = new ConfirmWindow(publishing.createChannel(), CONFIRM_WINDOW);
                    Thread publisher = new Thread(
                            () -> {
                                try {
                                    while (running.get()) {
                                        confirms.publish(QUEUE, properties, body);
                                    }
                                } catch (Exception e) {
                                    if (running.get()) {
                                        throw new IllegalStateException(e);
                                    }
                                }
                            },
                            "baseline-publisher-" + i);
                    publishers.add(publisher);
                    publisher.start();
                }
                Thread.sleep(1_000); // warm up: connections, the queue's leader, the JIT
                long before = consumed.get();
                long start = System.nanoTime();
                Thread.sleep(duration.toMillis());
                long after = consumed.get();
                Duration measured = Duration.ofNanos(System.nanoTime() - start);
                running.set(false);
                for (Thread publisher : publishers) {
                    publisher.interrupt();
                    publisher.join(5_000);
                }
                long count = after - before;
                return new Result(count / (measured.toNanos() / 1e9), messageBytes, count, measured);
            }
        }
    }

    /**
     * A channel in confirm mode with at most {@code size} messages unconfirmed: a publish waits for room, a confirm
     * (or nack) frees the sequence numbers it covers ("multiple" covers every one up to its tag).
     */
    private static final class ConfirmWindow {
        private final Channel channel;
        private final Semaphore room;
        private final ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();

        ConfirmWindow(Channel channel, int size) throws java.io.IOException {
            this.channel = channel;
            this.room = new Semaphore(size);
            channel.confirmSelect();
            channel.addConfirmListener(this::settle, this::settle);
        }

        void publish(String queue, AMQP.BasicProperties properties, byte[] body)
                throws InterruptedException, java.io.IOException {
            room.acquire();
            synchronized (channel) {
                unconfirmed.add(channel.getNextPublishSeqNo());
                channel.basicPublish("", queue, properties, body);
            }
        }

        private void settle(long tag, boolean multiple) {
            if (!multiple) {
                room.release(unconfirmed.remove(tag) ? 1 : 0);
                return;
            }
            NavigableSet<Long> done = unconfirmed.headSet(tag, true);
            int count = done.size();
            done.clear();
            room.release(count);
        }
    }
}
