package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.llm.LlmException;
import com.neurocards.pipeline.llm.ProductPhotos;
import com.neurocards.pipeline.llm.PromptLibrary;
import com.neurocards.pipeline.llm.WrittenPrompt;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Writes a request's N video prompts: SELF uses the seller's prompt as given; UGC and AD ask the LLM once for N
 * distinct prompts (strict JSON schema, validated), retry a bounded number of times, and fall back to the built-in
 * templates — an LLM outage never fails a job. Without an LLM the templates are used directly.
 *
 * <p>With {@link Photos} (a vision model, {@code LLM_VISION}) the product photo goes with the first attempt as an
 * image; an attempt the LLM refuses with a client error (a model that takes no images, an image it cannot read) is
 * followed by text-only ones, and a photo that cannot be had means text only from the start.
 *
 * <p>The N prompts are distinct: an answer repeating a prompt is asked for again; if the last attempt still repeats
 * some, its distinct prompts are kept and each repeat is replaced by a built-in template not used yet.
 */
public class PromptWriter {

    private static final Logger LOG = Logger.getLogger(PromptWriter.class);
    static final int MAX_PROMPT_LENGTH = 1800;

    /** Where the LLM's prompts come from: {@code LlmClient::prompts} (system prompt, user message, image or null, n). */
    @FunctionalInterface
    public interface Llm {
        Uni<List<String>> prompts(String systemPrompt, String userMessage, String imageUrl, int n);
    }

    /** The product photo for the LLM ({@code ProductPhotos}): a shown photo, or null when there is none to show. */
    @FunctionalInterface
    public interface Photos {
        Uni<ProductPhotos.Shown> show(String requestId, Photo photo);
    }

    /** The LLM's answer repeated a prompt; {@code distinct} holds its prompts without the repeats, in order. */
    static final class RepeatedPrompts extends LlmException {
        final transient List<String> distinct;

        RepeatedPrompts(List<String> distinct) {
            super(ErrorClassifier.llmOutput("prompts are not distinct"));
            this.distinct = distinct;
        }
    }

    private final Llm llm;
    private final Photos photos;
    private final PromptLibrary library;
    private final int attempts;

    /** @param llm {@code null} when no LLM is configured */
    public PromptWriter(Llm llm, PromptLibrary library, int attempts) {
        this(llm, null, library, attempts);
    }

    /**
     * @param llm    {@code null} when no LLM is configured
     * @param photos {@code null} when the LLM is not shown the photo
     */
    public PromptWriter(Llm llm, Photos photos, PromptLibrary library, int attempts) {
        this.llm = llm;
        this.photos = photos;
        this.library = library;
        this.attempts = Math.max(1, attempts);
    }

    public Uni<List<WrittenPrompt>> write(GenerationRequested request) {
        int n = request.count();
        if (request.template() == Template.SELF
                && request.customPrompt() != null
                && !request.customPrompt().isBlank()) {
            String prompt = request.customPrompt().trim();
            List<WrittenPrompt> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new WrittenPrompt(prompt, PromptSource.USER));
            }
            return Uni.createFrom().item(out);
        }
        Template kind = request.template() == Template.UGC ? Template.UGC : Template.AD;
        if (llm == null) {
            return Uni.createFrom().item(fromTemplates(request, kind, List.of()));
        }
        if (photos == null) {
            return withLlm(request, kind, null);
        }
        return photos.show(request.requestId(), request.photo())
                .onFailure()
                .recoverWithNull()
                .chain(shown -> withLlm(request, kind, shown).onTermination().invoke(() -> {
                    if (shown != null) {
                        shown.release();
                    }
                }));
    }

    private Uni<List<WrittenPrompt>> withLlm(GenerationRequested request, Template kind, ProductPhotos.Shown shown) {
        int n = request.count();
        AtomicInteger attempt = new AtomicInteger();
        AtomicReference<String> image = new AtomicReference<>(shown == null ? null : shown.dataUrl());
        AtomicReference<List<String>> repeated = new AtomicReference<>();
        Uni<List<String>> once = Uni.createFrom().deferred(() -> {
            attempt.incrementAndGet();
            String imageUrl = image.get();
            return llm.prompts(library.systemPrompt(kind), userMessage(request, imageUrl != null), imageUrl, n)
                    .map(prompts -> validated(prompts, n))
                    .onFailure()
                    .invoke(e -> {
                        LOG.warnf(
                                "LLM attempt %d of %d for request %s%s: %s",
                                attempt.get(),
                                attempts,
                                request.requestId(),
                                image.get() == null ? "" : " (with the photo)",
                                e instanceof LlmException l ? l.classification().reason() : Redaction.describe(e));
                        repeated.set(e instanceof RepeatedPrompts r ? r.distinct : null);
                        if (image.get() != null && refusedTheRequest(e)) {
                            // a model without vision, or an image it will not read: the text alone next
                            image.set(null);
                        }
                    });
        });
        return (attempts > 1 ? once.onFailure().retry().atMost(attempts - 1) : once)
                .map(prompts -> prompts.stream()
                        .map(p -> new WrittenPrompt(p, PromptSource.LLM))
                        .toList())
                .onFailure()
                .recoverWithItem(() -> {
                    List<String> distinct = repeated.get();
                    if (distinct != null && !distinct.isEmpty()) {
                        LOG.infof(
                                "Request %s: the LLM repeated prompts; %d of its %d kept, the rest from the built-in templates",
                                request.requestId(), distinct.size(), n);
                        List<WrittenPrompt> out = new ArrayList<>();
                        distinct.forEach(p -> out.add(new WrittenPrompt(p, PromptSource.LLM)));
                        out.addAll(fromTemplates(request, kind, distinct));
                        return out;
                    }
                    LOG.infof(
                            "Request %s: the LLM gave no usable prompts; using the built-in templates",
                            request.requestId());
                    return fromTemplates(request, kind, List.of());
                });
    }

    /** A 4xx other than auth and rate limits: this request, as sent, will not be taken. */
    private static boolean refusedTheRequest(Throwable e) {
        if (!(e instanceof LlmException l) || l.classification().providerCode() == null) {
            return false;
        }
        int code = l.classification().providerCode();
        return code >= 400 && code < 500 && code != 401 && code != 403 && code != 429;
    }

    /**
     * Built-in prompts for the jobs {@code taken} leaves (N − taken), each distinct from {@code taken} and from each
     * other.
     */
    private List<WrittenPrompt> fromTemplates(GenerationRequested request, Template kind, List<String> taken) {
        Set<String> seen = new HashSet<>();
        taken.forEach(t -> seen.add(key(t)));
        List<WrittenPrompt> out = new ArrayList<>();
        for (int i = 0; out.size() < request.count() - taken.size(); i++) {
            String text = library.fromTemplate(kind, i, product(request), request.wishes());
            if (seen.add(key(text))) {
                out.add(new WrittenPrompt(text, PromptSource.TEMPLATE));
            }
        }
        return out;
    }

    /** Prompts that differ only in case or spacing are the same prompt. */
    private static String key(String prompt) {
        return prompt.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** N non-blank, reasonably short, mutually distinct prompts — or an {@link LlmException}. */
    static List<String> validated(List<String> prompts, int n) {
        if (prompts.size() != n) {
            throw new LlmException(ErrorClassifier.llmOutput(prompts.size() + " prompts, not " + n));
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        boolean repeats = false;
        for (String p : prompts) {
            String prompt = p == null ? "" : p.trim();
            if (prompt.isEmpty() || prompt.length() > MAX_PROMPT_LENGTH) {
                throw new LlmException(ErrorClassifier.llmOutput("an empty or overlong prompt"));
            }
            if (seen.add(key(prompt))) {
                out.add(prompt);
            } else {
                repeats = true;
            }
        }
        if (repeats) {
            throw new RepeatedPrompts(out);
        }
        return out;
    }

    static String userMessage(GenerationRequested request) {
        return userMessage(request, false);
    }

    /** @param withPhoto the product photo is attached to the message */
    static String userMessage(GenerationRequested request, boolean withPhoto) {
        String wishes = request.wishes() == null
                        || request.wishes().isBlank()
                        || request.wishes().trim().equals("-")
                ? "none"
                : request.wishes().trim();
        return "Product description: " + product(request) + "\n"
                + "Seller's wishes: " + wishes + "\n"
                + "Write " + request.count()
                + " distinct prompts, one per 8-second vertical (9:16) video of this product "
                + "brought to life from its photo. English only. No text overlays or logos unless the wishes ask for them. "
                + (withPhoto
                        ? "The product photo is attached: describe the product as it looks in it (shape, colours, "
                                + "materials, packaging), and keep it exactly so in every prompt. "
                        : "")
                + "Answer as JSON: {\"prompts\": [...]}.";
    }

    private static String product(GenerationRequested request) {
        String d = request.description() == null
                ? ""
                : request.description().replaceAll("\\s+", " ").trim();
        return d.length() > 500 ? d.substring(0, 500) : d;
    }
}
