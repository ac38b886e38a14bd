package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.outbox.Outbox;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.llm.LlmClient;
import com.neurocards.pipeline.llm.ProductPhotos;
import com.neurocards.pipeline.llm.PromptLibrary;
import com.neurocards.pipeline.llm.WrittenPrompt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code generation.funded} → N × {@code prompt.built}: the {@link PromptWriter} on the prompt queue. */
@ApplicationScoped
public class PromptStage implements StageConsumer {

    private final PromptWriter writer;
    private final JobRepository jobs;
    private final JobEvents jobEvents;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Replays replays;
    private final PipelineConfig config;

    public PromptStage(
            PipelineConfig config,
            LlmClient llm,
            ProductPhotos photos,
            JobRepository jobs,
            JobEvents jobEvents,
            Outbox outbox,
            Transactions transactions) {
        this.config = config;
        this.writer = new PromptWriter(
                llm.configured() ? llm::prompts : null,
                llm.configured() && photos.enabled() ? photos::show : null,
                new PromptLibrary(),
                config.llm().attempts());
        this.jobs = jobs;
        this.jobEvents = jobEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.replays = new Replays(jobs, transactions);
    }

    @Override
    public QueueName queue() {
        return QueueName.PIPELINE_PROMPT;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        GenerationFunded funded = delivery.payload(GenerationFunded.class);
        return writer.write(funded.request())
                .chain(prompts -> transactions.processOnce(delivery, tx -> record(tx, delivery, funded, prompts)))
                .replaceWithVoid();
    }

    private Uni<Void> record(
            SqlConnection tx, Delivery delivery, GenerationFunded funded, List<WrittenPrompt> prompts) {
        Envelope<?> cause = delivery.envelope();
        GenerationRequested request = funded.request();
        String model = request.model() == null || request.model().isBlank()
                ? config.kie().model()
                : request.model();
        String ratio =
                request.aspectRatio() == null || request.aspectRatio().isBlank() ? "9:16" : request.aspectRatio();
        Uni<Void> chain = Uni.createFrom().voidItem();
        // the overall deadline counts from the moment billing funded the request
        Instant expiresAt = jobs.expiry(cause.occurredAt());
        List<JobRef> refs = jobRefs(funded);
        for (int i = 0; i < refs.size(); i++) {
            PromptBuilt built = new PromptBuilt(
                    refs.get(i), prompts.get(i).text(), prompts.get(i).source(), model, ratio);
            chain = chain.chain(() -> (Replays.isReplay(delivery)
                            ? replays.prompt(tx, delivery, built)
                            : jobs.insertPrompted(tx, built, expiresAt))
                    .chain(isNew -> isNew
                            ? outbox.publish(tx, Envelope.causedBy(cause, built))
                            : Uni.createFrom().voidItem()));
        }
        return chain;
    }

    /** The request's jobs, with the ids billing assigned ({@code <requestId>-1..N}). */
    public static List<JobRef> jobRefs(GenerationFunded funded) {
        GenerationRequested request = funded.request();
        List<JobRef> refs = new ArrayList<>();
        for (int i = 1; i <= request.count(); i++) {
            JobRef ref = request.job(i);
            if (funded.jobIds().size() >= i) {
                ref = new JobRef(
                        funded.jobIds().get(i - 1),
                        ref.requestId(),
                        ref.userId(),
                        ref.chatId(),
                        ref.locale(),
                        ref.index(),
                        ref.total(),
                        ref.photo(),
                        ref.progressMessageId());
            }
            refs.add(ref);
        }
        return refs;
    }

    /** Nothing was rendered: every job of the request fails, so billing refunds all of them. */
    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        GenerationFunded funded = delivery.payload(GenerationFunded.class);
        Classification c = JobEvents.classify(cause);
        return transactions.inTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (JobRef ref : jobRefs(funded)) {
                chain = chain.chain(
                        () -> jobEvents.fail(tx, delivery.envelope(), ref, Stage.PROMPT, c, delivery.attempt()));
            }
            return chain;
        });
    }
}
