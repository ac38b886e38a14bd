package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.GenerationRequested;
import java.util.List;

/**
 * What one input did: the state to store, what to show, the answer to a pressed button ({@code null} when the
 * input was not a press; empty for a silent answer), and the generation to request, if Confirm was pressed.
 */
public record Outcome(
        ConversationState state, List<Reply> replies, String callbackAnswerKey, GenerationRequested request) {

    public Outcome {
        replies = List.copyOf(replies);
    }
}
