package com.neurocards.benchmarks;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every message costs in CPU before it reaches the broker or a stage: writing and reading its envelope, and
 * describing a failure for a DLQ header. Compare with the ~0.1 ms a broker hop takes
 * (docs/outside-services.md#rabbitmq-baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeCodecBenchmark {

    private final Envelope<GenerationFunded> funded;
    private final byte[] fundedJson;
    private final IOException failure = new IOException(
            "GET https://api.telegram.org/file/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/photos/f.jpg failed: 502");

    public EnvelopeCodecBenchmark() {
        GenerationRequested request = new GenerationRequested(
                UUID.randomUUID().toString(),
                1001L,
                1001L,
                Language.RU,
                new Photo("AgACAgIAAxkBAAIB", "AQADcb4xG"),
                "Керамическая кружка ручной работы, 350 мл",
                Template.UGC,
                "тёплый свет, кухня",
                null,
                3,
                "veo3_fast",
                "9:16");
        funded = Envelope.of(new GenerationFunded(
                request,
                List.of(request.requestId() + "-1", request.requestId() + "-2", request.requestId() + "-3"),
                3,
                7));
        fundedJson = EventCodec.encode(funded);
    }

    @Benchmark
    public byte[] encodeFunded() {
        return EventCodec.encode(funded);
    }

    @Benchmark
    public Envelope<Event> decodeFunded() {
        return EventCodec.decode(fundedJson);
    }

    @Benchmark
    public String describeFailureForADeadLetter() {
        return Redaction.describe(failure);
    }
}
