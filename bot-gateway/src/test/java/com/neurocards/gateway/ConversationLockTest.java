package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.conversation.ConversationState;
import com.neurocards.gateway.conversation.Step;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.testing.LocalInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A user's conversation is one row, locked by the transaction that applies an update: two updates of one user — a
 * first contact included, when the row does not exist yet — are applied one after the other, the second seeing what
 * the first saved, whichever instance handles them.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class ConversationLockTest {

    private static final Duration HOLD = Duration.ofMillis(700);

    @Inject
    ConversationRepository conversations;

    @Inject
    Pool pool;

    @Test
    void twoFirstUpdatesOfANewUserAreAppliedOneAfterTheOther() throws Exception {
        long user = GatewayTestSupport.newUserId();
        assertSecondWaitsForFirst(user);
    }

    @Test
    void twoUpdatesOfAKnownUserAreAppliedOneAfterTheOther() throws Exception {
        long user = GatewayTestSupport.newUserId();
        pool.withTransaction(tx -> conversations.lock(tx, user, user, Language.EN))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertSecondWaitsForFirst(user);
    }

    @Test
    void aKnownUserKeepsTheirLanguageAndGetsTheChatOfTheUpdate() {
        long user = GatewayTestSupport.newUserId();
        pool.withTransaction(tx -> conversations.lock(tx, user, user, Language.RU))
                .await()
                .atMost(Duration.ofSeconds(10));

        ConversationState again = pool.withTransaction(tx -> conversations.lock(tx, user, user + 1, Language.EN))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThat(again.language()).isEqualTo(Language.RU);
        assertThat(again.chatId()).isEqualTo(user + 1);
        assertThat(again.step()).isEqualTo(Step.MENU);
    }

    /**
     * The first transaction locks the conversation, holds it a while and opens a draft; the second, started while the
     * first holds it, must wait and then see the draft.
     */
    private void assertSecondWaitsForFirst(long user) throws Exception {
        CompletableFuture<Void> firstLocked = new CompletableFuture<>();
        CompletableFuture<Void> first = pool.withTransaction(tx -> conversations
                        .lock(tx, user, user, Language.EN)
                        .invoke(() -> firstLocked.complete(null))
                        .chain(state ->
                                Uni.createFrom().item(state).onItem().delayIt().by(HOLD))
                        .chain(state -> conversations.save(tx, state.openDraft(Step.AWAIT_PHOTO, null))))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
        firstLocked.get(10, TimeUnit.SECONDS);

        ConversationState seen = pool.withTransaction(tx -> conversations.lock(tx, user, user, Language.EN))
                .await()
                .atMost(Duration.ofSeconds(10));
        first.get(10, TimeUnit.SECONDS);

        // without the lock it would have read the row as it was before the first saved (at the menu, no draft)
        assertThat(seen.step()).isEqualTo(Step.AWAIT_PHOTO);
        assertThat(seen.draftCounter()).isEqualTo(1);
    }
}
