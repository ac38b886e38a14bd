package com.neurocards.pipeline.stage;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.Template;
import com.neurocards.pipeline.llm.LlmClient;
import com.neurocards.pipeline.llm.LlmException;
import com.neurocards.pipeline.llm.PromptLibrary;
import com.neurocards.pipeline.llm.WrittenPrompt;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a request's N video prompts: SELF uses the seller's prompt as given; UGC and AD ask the LLM once for N
 * distinct prompts (strict JSON schema, validated), retry a bounded number of times, and fall back to the built-in
 * templates — an LLM outage never fails a job. Without an LLM the templates are used directly.
 */
public class PromptWriter {

    private static final Logger LOG = Logger.getLogger(PromptWriter.class);
    static final int MAX_PROMPT_LENGTH = 1800;

    private final LlmClient llm;
    private final PromptLibrary library;
    private final int attempts;

    /** @param llm {@code null} when no LLM is configured */
    public PromptWriter(LlmClient llm, PromptLibrary library, int attempts) {
        this.llm = llm;
        this.library = library;
        this.attempts = Math.max(1, attempts);
    }

    public List<WrittenPrompt> write(GenerationRequested request) {
        int n = request.count();
        if (request.template() == Template.SELF && request.customPrompt() != null && !request.customPrompt().isBlank()) {
            String prompt = request.customPrompt().trim();
            List<WrittenPrompt> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new WrittenPrompt(prompt, PromptSource.USER));
            }
            return out;
        }
        Template kind = request.template() == Template.UGC ? Template.UGC : Template.AD;
        if (llm != null) {
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    List<String> prompts = validated(llm.prompts(library.systemPrompt(kind), userMessage(request), n), n);
                    return prompts.stream().map(p -> new WrittenPrompt(p, PromptSource.LLM)).toList();
                } catch (LlmException e) {
                    LOG.warnf("LLM attempt %d of %d for request %s: %s", attempt, attempts, request.requestId(),
                            e.classification().reason());
                } catch (RuntimeException e) {
                    LOG.warnf("LLM attempt %d of %d for request %s failed: %s", attempt, attempts, request.requestId(),
                            Redaction.describe(e));
                }
            }
            LOG.infof("Request %s: the LLM gave no usable prompts; using the built-in templates", request.requestId());
        }
        List<WrittenPrompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new WrittenPrompt(library.fromTemplate(kind, i, product(request), request.wishes()), PromptSource.TEMPLATE));
        }
        return out;
    }

    /** N non-blank, reasonably short, mutually distinct prompts — or an {@link LlmException}. */
    static List<String> validated(List<String> prompts, int n) {
        if (prompts.size() != n) {
            throw new LlmException(com.neurocards.pipeline.error.ErrorClassifier.llmOutput(prompts.size() + " prompts, not " + n));
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String p : prompts) {
            String prompt = p == null ? "" : p.trim();
            if (prompt.isEmpty() || prompt.length() > MAX_PROMPT_LENGTH) {
                throw new LlmException(com.neurocards.pipeline.error.ErrorClassifier.llmOutput("an empty or overlong prompt"));
            }
            if (!seen.add(prompt.toLowerCase(Locale.ROOT))) {
                throw new LlmException(com.neurocards.pipeline.error.ErrorClassifier.llmOutput("prompts are not distinct"));
            }
            out.add(prompt);
        }
        return out;
    }

    static String userMessage(GenerationRequested request) {
        String wishes = request.wishes() == null || request.wishes().isBlank() || request.wishes().trim().equals("-")
                ? "none" : request.wishes().trim();
        return "Product description: " + product(request) + "\n"
                + "Seller's wishes: " + wishes + "\n"
                + "Write " + request.count() + " distinct prompts, one per 8-second vertical (9:16) video of this product "
                + "brought to life from its photo. English only. No text overlays or logos unless the wishes ask for them. "
                + "Answer as JSON: {\"prompts\": [...]}.";
    }

    private static String product(GenerationRequested request) {
        String d = request.description() == null ? "" : request.description().replaceAll("\\s+", " ").trim();
        return d.length() > 500 ? d.substring(0, 500) : d;
    }
}
