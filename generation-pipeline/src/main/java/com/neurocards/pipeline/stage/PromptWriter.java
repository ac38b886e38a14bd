package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.pipeline.llm.LlmException;
import com.neurocards.pipeline.llm.PromptLibrary;
import com.neurocards.pipeline.llm.WrittenPrompt;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Writes a request's N video prompts: SELF uses the seller's prompt as given; UGC and AD ask the LLM once for N
 * distinct prompts (strict JSON schema, validated), retry a bounded number of times, and fall back to the built-in
 * templates — an LLM outage never fails a job. Without an LLM the templates are used directly.
 */
public class PromptWriter {

    private static final Logger LOG = Logger.getLogger(PromptWriter.class);
    static final int MAX_PROMPT_LENGTH = 1800;

    /** Where the LLM's prompts come from: {@code LlmClient::prompts} (system prompt, user message, n). */
    @FunctionalInterface
    public interface Llm {
        Uni<List<String>> prompts(String systemPrompt, String userMessage, int n);
    }

    private final Llm llm;
    private final PromptLibrary library;
    private final int attempts;

    /** @param llm {@code null} when no LLM is configured */
    public PromptWriter(Llm llm, PromptLibrary library, int attempts) {
        this.llm = llm;
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
            return Uni.createFrom().item(fromTemplates(request, kind));
        }
        AtomicInteger attempt = new AtomicInteger();
        Uni<List<String>> once = Uni.createFrom()
                .deferred(() -> {
                    attempt.incrementAndGet();
                    return llm.prompts(library.systemPrompt(kind), userMessage(request), n);
                })
                .map(prompts -> validated(prompts, n))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "LLM attempt %d of %d for request %s: %s",
                        attempt.get(),
                        attempts,
                        request.requestId(),
                        e instanceof LlmException l ? l.classification().reason() : Redaction.describe(e)));
        return (attempts > 1 ? once.onFailure().retry().atMost(attempts - 1) : once)
                .map(prompts -> prompts.stream()
                        .map(p -> new WrittenPrompt(p, PromptSource.LLM))
                        .toList())
                .onFailure()
                .recoverWithItem(() -> {
                    LOG.infof(
                            "Request %s: the LLM gave no usable prompts; using the built-in templates",
                            request.requestId());
                    return fromTemplates(request, kind);
                });
    }

    private List<WrittenPrompt> fromTemplates(GenerationRequested request, Template kind) {
        List<WrittenPrompt> out = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            out.add(new WrittenPrompt(
                    library.fromTemplate(kind, i, product(request), request.wishes()), PromptSource.TEMPLATE));
        }
        return out;
    }

    /** N non-blank, reasonably short, mutually distinct prompts — or an {@link LlmException}. */
    static List<String> validated(List<String> prompts, int n) {
        if (prompts.size() != n) {
            throw new LlmException(ErrorClassifier.llmOutput(prompts.size() + " prompts, not " + n));
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String p : prompts) {
            String prompt = p == null ? "" : p.trim();
            if (prompt.isEmpty() || prompt.length() > MAX_PROMPT_LENGTH) {
                throw new LlmException(ErrorClassifier.llmOutput("an empty or overlong prompt"));
            }
            if (!seen.add(prompt.toLowerCase(Locale.ROOT))) {
                throw new LlmException(ErrorClassifier.llmOutput("prompts are not distinct"));
            }
            out.add(prompt);
        }
        return out;
    }

    static String userMessage(GenerationRequested request) {
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
                + "Answer as JSON: {\"prompts\": [...]}.";
    }

    private static String product(GenerationRequested request) {
        String d = request.description() == null
                ? ""
                : request.description().replaceAll("\\s+", " ").trim();
        return d.length() > 500 ? d.substring(0, 500) : d;
    }
}
