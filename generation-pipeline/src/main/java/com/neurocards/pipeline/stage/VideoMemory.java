package com.neurocards.pipeline.stage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The memory the deliver stage may hold in videos at once: {@code budget} bytes. Each delivery reserves the most a
 * video can take ({@code perVideo}, the upload cap) before it downloads, keeps only the video's real size once it is
 * downloaded, and gives that back once its send is over: at most {@code budget / perVideo} downloads run at once, and
 * the videos held never take more than the budget together, whatever the queue's prefetch. A delivery that finds the
 * budget taken waits in line for its turn without holding a thread (its {@link Uni} completes when a reservation is
 * given back); the line is served first come, first served.
 *
 * <p>Observed through the gauges {@code neurocards_pipeline_deliver_memory_reserved_bytes} and
 * {@code neurocards_pipeline_deliver_memory_waiting}.
 */
public class VideoMemory {

    /**
     * A reservation; {@link #shrinkTo(long)} gives back what a downloaded video does not need, {@link #release()} the
     * rest (once, however often it is called).
     */
    public final class Held {
        private boolean released;
        private long bytes = perVideo;

        /**
         * The video is in memory and takes {@code videoBytes}: the rest of the reservation goes back to the line at
         * once, so a delivery that then waits for its chat's turn to send holds only its own video, not the upload cap.
         */
        public void shrinkTo(long videoBytes) {
            synchronized (VideoMemory.this) {
                long keep = Math.max(0, Math.min(bytes, videoBytes));
                if (released || keep == bytes) {
                    return;
                }
                reserved -= bytes - keep;
                bytes = keep;
            }
            serveWaiting();
        }

        public void release() {
            synchronized (VideoMemory.this) {
                if (released) {
                    return;
                }
                released = true;
                reserved -= bytes;
            }
            serveWaiting();
        }
    }

    private final long budget;
    private final long perVideo;
    private final Deque<CompletableFuture<Held>> waiting = new ArrayDeque<>();
    private long reserved;
    private long peak;

    /**
     * @param budget   bytes all videos in memory may take together; at least {@code perVideo}
     * @param perVideo bytes one video may take (the upload cap)
     */
    public VideoMemory(long budget, long perVideo, MeterRegistry registry) {
        if (perVideo <= 0 || budget < perVideo) {
            throw new IllegalArgumentException("The video memory budget (" + budget
                    + " bytes) must hold at least one video of the upload cap (" + perVideo + " bytes)");
        }
        this.budget = budget;
        this.perVideo = perVideo;
        Gauge.builder("neurocards.pipeline.deliver.memory.reserved", this, VideoMemory::reserved)
                .baseUnit("bytes")
                .description("Bytes reserved for videos being downloaded or uploaded")
                .register(registry);
        Gauge.builder("neurocards.pipeline.deliver.memory.waiting", this, VideoMemory::waiting)
                .description("Deliveries waiting for room in the video memory budget")
                .register(registry);
    }

    /** How many downloads of the largest video fit in the budget at once. */
    public long videos() {
        return budget / perVideo;
    }

    /**
     * Room for one video: at once when the budget allows, else when an earlier reservation is given back. A caller that
     * stops waiting (cancelled) leaves the line, and a reservation it was given meanwhile is given back.
     */
    public Uni<Held> reserve() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Held> turn = new CompletableFuture<>();
            synchronized (this) {
                waiting.addLast(turn);
            }
            serveWaiting();
            return Uni.createFrom().completionStage(turn).onCancellation().invoke(() -> {
                synchronized (this) {
                    waiting.remove(turn);
                }
                turn.thenAccept(Held::release);
            });
        });
    }

    /** Bytes reserved now. */
    public synchronized double reserved() {
        return reserved;
    }

    /** The most bytes ever reserved at once since this instance started. */
    public synchronized long peak() {
        return peak;
    }

    /** Deliveries waiting for room now. */
    public synchronized double waiting() {
        return waiting.size();
    }

    /** Hands out room to the deliveries at the head of the line while the budget allows; completes them unlocked. */
    private void serveWaiting() {
        while (true) {
            CompletableFuture<Held> next;
            Held held;
            synchronized (this) {
                if (waiting.isEmpty() || reserved + perVideo > budget) {
                    return;
                }
                next = waiting.pollFirst();
                reserved += perVideo;
                peak = Math.max(peak, reserved);
                held = new Held();
            }
            if (!next.complete(held)) {
                held.release();
            }
        }
    }
}
