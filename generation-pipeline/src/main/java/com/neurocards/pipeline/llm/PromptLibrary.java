package com.neurocards.pipeline.llm;

import com.neurocards.contracts.event.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The texts prompts are made from, kept in resources ({@code prompts/}): the LLM's system prompt per template, and the
 * built-in prompt templates used without an LLM (or when it keeps failing).
 */
public final class PromptLibrary {

    private final String ugcSystem;
    private final String adSystem;
    private final List<String> ugcTemplates;
    private final List<String> adTemplates;

    public PromptLibrary() {
        this.ugcSystem = read("prompts/ugc-system.txt");
        this.adSystem = read("prompts/ad-system.txt");
        this.ugcTemplates = lines(read("prompts/ugc-templates.txt"));
        this.adTemplates = lines(read("prompts/ad-templates.txt"));
    }

    public String systemPrompt(Template template) {
        return template == Template.UGC ? ugcSystem : adSystem;
    }

    /** Built-in template {@code index} (0-based) for a template kind, filled with the product and wishes. */
    public String fromTemplate(Template template, int index, String product, String wishes) {
        List<String> list = template == Template.UGC ? ugcTemplates : adTemplates;
        String text = list.get(index % list.size())
                .replace("{product}", product)
                .replace(
                        "{wishes}",
                        wishes == null || wishes.isBlank() || wishes.trim().equals("-")
                                ? ""
                                : " Also: " + wishes.trim() + ".");
        return index < list.size() ? text : text + " Variation " + (index / list.size() + 1) + ".";
    }

    private static List<String> lines(String text) {
        List<String> out = Arrays.stream(text.split("\\R"))
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        if (out.isEmpty()) {
            throw new IllegalStateException("an empty prompt template list");
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = PromptLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
