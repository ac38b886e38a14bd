package com.neurocards.pipeline.kie;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * KIE's {@code resultUrls}: an array of URLs per the docs, a JSON string holding that array in one rendering of them,
 * or a bare URL string. All three read as a list; blank and non-text entries are skipped, unreadable text is none.
 */
class UrlListDeserializer extends StdDeserializer<List<String>> {

    UrlListDeserializer() {
        super(List.class);
    }

    @Override
    public List<String> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        List<String> urls = new ArrayList<>();
        if (node != null && node.isTextual()) {
            String text = node.asText().trim();
            if (!text.startsWith("[")) {
                if (!text.isEmpty()) {
                    urls.add(text);
                }
                return urls;
            }
            try (JsonParser inner = parser.getCodec().getFactory().createParser(text)) {
                node = context.readTree(inner);
            } catch (IOException e) {
                return urls;
            }
        }
        if (node != null && node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual() && !n.asText().isBlank()) {
                    urls.add(n.asText());
                }
            });
        }
        return urls;
    }

    @Override
    public List<String> getNullValue(DeserializationContext context) {
        return new ArrayList<>();
    }
}
