package com.neurocards.gateway.telegram;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.billing.BalanceService;
import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.gateway.conversation.Callback;
import com.neurocards.gateway.conversation.Draft;
import com.neurocards.gateway.conversation.PhotoKind;
import com.neurocards.gateway.conversation.Reply;
import com.neurocards.gateway.conversation.Rules;
import com.neurocards.gateway.payment.CreditPack;
import com.neurocards.gateway.payment.CreditPacks;
import com.neurocards.gateway.repository.GenerationRepository;
import com.neurocards.gateway.repository.GenerationRepository.GenerationView;
import com.neurocards.gateway.repository.GenerationRepository.JobView;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.telegram.SupportContact;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.telegram.telegrambots.meta.api.methods.invoices.SendInvoice;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageReplyMarkup;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.payments.LabeledPrice;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * Turns replies into Telegram messages in the user's language. Runs after the state they follow is committed. Nothing
 * here holds a thread while it waits: a reply's lookups (balance, videos) are reactive, and a message waiting for its
 * chat's turn (Telegram's pace of one message a second per chat) is a timer, so a burst of sellers does not need a
 * thread each.
 */
@ApplicationScoped
public class ReplyRenderer {

    /**
     * Telegram's caption limit: 1,024 characters as Telegram counts them, in UTF-16 code units (an emoji is two or
     * more). A longer caption is refused with 400, and the card with its Confirm button would never arrive.
     */
    static final int CAPTION_UNITS = 1024;

    /** Each free text on the card starts at this many UTF-16 units and is cut shorter if the whole would not fit. */
    private static final int CAPTION_TEXT_UNITS = 280;

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM HH:mm");

    private final BotSender sender;
    private final MessageBundle texts;
    private final BalanceService balances;
    private final GenerationRepository generations;
    private final CreditPacks packs;
    private final GatewayConfig config;
    private final SupportContact support;
    private final Rules rules;

    public ReplyRenderer(
            BotSender sender,
            MessageBundle texts,
            BalanceService balances,
            GenerationRepository generations,
            CreditPacks packs,
            GatewayConfig config,
            SupportContact support,
            Rules rules) {
        this.sender = sender;
        this.texts = texts;
        this.balances = balances;
        this.generations = generations;
        this.packs = packs;
        this.config = config;
        this.support = support;
        this.rules = rules;
    }

    /** The replies, one after another in their order, when subscribed to; never fails (see {@link #send}). */
    public Uni<Void> render(long userId, long chatId, Language lang, List<Reply> replies) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Reply reply : replies) {
            all = all.chain(() -> render(userId, chatId, lang, reply));
        }
        return all;
    }

    private Uni<Void> render(long userId, long chatId, Language lang, Reply reply) {
        if (reply instanceof Reply.Message message) {
            Object[] args = message.args().stream()
                    .map(arg -> arg == Reply.Arg.SUPPORT_CONTACT ? supportContact(lang) : arg)
                    .toArray();
            return say(chatId, texts.get(lang, message.key(), args), keyboard(lang, message.buttons()));
        } else if (reply instanceof Reply.Menu) {
            return menu(userId, chatId, lang);
        } else if (reply instanceof Reply.CountChoice choice) {
            return countChoice(userId, chatId, lang, choice);
        } else if (reply instanceof Reply.ConfirmCard card) {
            return confirmCard(chatId, lang, card);
        } else if (reply instanceof Reply.MyVideos) {
            return myVideos(userId, chatId, lang);
        } else if (reply instanceof Reply.ResendVideo resend) {
            return resend(userId, chatId, lang, resend.jobId());
        } else if (reply instanceof Reply.Packs) {
            return packs(chatId, lang);
        } else if (reply instanceof Reply.Invoice invoice) {
            return invoice(chatId, lang, invoice.packId());
        } else if (reply instanceof Reply.ClearButtons clear) {
            return send(
                    chatId,
                    "editMessageReplyMarkup",
                    client -> client.execute(EditMessageReplyMarkup.builder()
                            .chatId(chatId)
                            .messageId(clear.messageId())
                            .build()));
        }
        return Uni.createFrom().voidItem();
    }

    /** Where sellers reach a person ({@code SUPPORT_CONTACT}); when none is set (never in production), says so. */
    public String supportContact(Language lang) {
        return support.contact().orElseGet(() -> texts.get(lang, "support.unset"));
    }

    /** A plain text message with optional buttons, sent before this returns (for callers that may block). */
    public void text(long chatId, String text, InlineKeyboardMarkup keyboard) {
        say(chatId, text, keyboard).await().indefinitely();
    }

    /** A plain text message with optional buttons, sent when subscribed to. */
    public Uni<Void> say(long chatId, String text, InlineKeyboardMarkup keyboard) {
        SendMessage.SendMessageBuilder<?, ?> message =
                SendMessage.builder().chatId(chatId).text(text);
        if (keyboard != null) {
            message.replyMarkup(keyboard);
        }
        SendMessage built = message.build();
        return send(chatId, "sendMessage", client -> client.execute(built));
    }

    private Uni<Void> menu(long userId, long chatId, Language lang) {
        return lookup(balances.balanceOf(userId)).chain(balance -> menu(chatId, lang, balance));
    }

    private Uni<Void> menu(long chatId, Language lang, BalanceService.Shown balance) {
        long price = rules.cheapestPrice(); // "videos from …"

        String text = balance.amount()
                .map(amount ->
                        texts.get(lang, balance.fresh() ? "menu.text" : "menu.text.balance_stale", amount, price))
                .orElseGet(() -> texts.get(lang, "menu.text.balance_unknown", price));
        return say(
                chatId,
                text,
                markup(List.of(
                        List.of(button(lang, "button.generate", new Callback.Nav(Callback.Target.GENERATE))),
                        List.of(
                                button(lang, "button.buy", new Callback.Nav(Callback.Target.BUY)),
                                button(lang, "button.videos", new Callback.Nav(Callback.Target.VIDEOS))),
                        List.of(
                                button(lang, "button.help", new Callback.Nav(Callback.Target.HELP)),
                                button(lang, "button.language", new Callback.Nav(Callback.Target.LANGUAGE))))));
    }

    /**
     * The count question: each count with what it costs (count × the model's price); the counts the balance billing
     * reports cannot cover are marked, with a top-up button under them. An unknown balance marks nothing.
     */
    private Uni<Void> countChoice(long userId, long chatId, Language lang, Reply.CountChoice choice) {
        return lookup(balances.balanceOf(userId)).chain(balance -> countChoice(chatId, lang, choice, balance));
    }

    private Uni<Void> countChoice(long chatId, Language lang, Reply.CountChoice choice, BalanceService.Shown balance) {
        String text = balance.amount()
                .map(amount -> texts.get(lang, "ask.count", amount))
                .orElseGet(() -> texts.get(lang, "ask.count.balance_unknown"));
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        boolean anyShort = false;
        for (int count : choice.counts()) {
            long cost = count * choice.pricePerVideo();
            boolean covered = balance.amount().map(amount -> amount >= cost).orElse(true);
            anyShort |= !covered;
            rows.add(List.of(button(
                    lang,
                    covered ? "button.count" : "button.count.short",
                    new Callback.PickCount(choice.draft(), count),
                    count,
                    cost)));
        }
        if (anyShort) {
            text = text + "\n" + texts.get(lang, "ask.count.short");
            rows.add(List.of(button(lang, "button.topup", new Callback.Nav(Callback.Target.BUY))));
        }
        rows.add(List.of(button(lang, "button.cancel", new Callback.Cancel(choice.draft()))));
        return say(chatId, text, markup(rows));
    }

    private Uni<Void> confirmCard(long chatId, Language lang, Reply.ConfirmCard card) {
        Draft draft = card.draft();
        String caption = fitCaption(units -> {
            String followUp = draft.customPrompt() != null
                    ? texts.get(lang, "card.prompt", cut(draft.customPrompt(), units))
                    : draft.wishesOrNull() == null
                            ? texts.get(lang, "card.wishes.none")
                            : texts.get(lang, "card.wishes", cut(draft.wishesOrNull(), units));
            // the model and its price per video, on the line after the template's follow-up
            followUp = followUp + "\n"
                    + texts.get(
                            lang,
                            "card.model",
                            texts.get(lang, "model." + draft.modelOrDefault().name()),
                            card.pricePerVideo());
            return texts.get(
                    lang,
                    "card.caption",
                    cut(draft.description(), units),
                    texts.get(lang, "template." + draft.template().name()),
                    followUp,
                    draft.count(),
                    card.cost());
        });
        InlineKeyboardMarkup keyboard = markup(List.of(
                List.of(button(lang, "button.confirm", new Callback.Confirm(draft.number(), draft.version()))),
                List.of(
                        button(lang, "button.edit", new Callback.Edit(draft.number())),
                        button(lang, "button.cancel", new Callback.Cancel(draft.number())))));
        InputFile photo = new InputFile(draft.photo().fileId());
        if (draft.photoKind() == PhotoKind.DOCUMENT) {
            SendDocument document = SendDocument.builder()
                    .chatId(chatId)
                    .document(photo)
                    .caption(caption)
                    .replyMarkup(keyboard)
                    .build();
            return send(chatId, "sendDocument", client -> client.execute(document));
        }
        SendPhoto sendPhoto = SendPhoto.builder()
                .chatId(chatId)
                .photo(photo)
                .caption(caption)
                .replyMarkup(keyboard)
                .build();
        return send(chatId, "sendPhoto", client -> client.execute(sendPhoto));
    }

    private Uni<Void> myVideos(long userId, long chatId, Language lang) {
        return lookup(generations.recent(userId, config.limits().myVideos()))
                .chain(recent -> myVideos(chatId, lang, recent));
    }

    private Uni<Void> myVideos(long chatId, Language lang, List<GenerationView> recent) {
        if (recent.isEmpty()) {
            return say(
                    chatId,
                    texts.get(lang, "videos.empty"),
                    markup(List.of(
                            List.of(button(lang, "button.generate", new Callback.Nav(Callback.Target.GENERATE))))));
        }
        StringBuilder out = new StringBuilder(texts.get(lang, "videos.title")).append("\n\n");
        List<InlineKeyboardButton> videoButtons = new ArrayList<>();
        int n = 1;
        for (GenerationView view : recent) {
            String states = view.jobs().isEmpty()
                    ? texts.get(lang, "status." + view.status().name())
                    : view.jobs().stream()
                            .map(j -> texts.get(lang, "status." + j.status().name()))
                            .collect(Collectors.joining(" "));
            out.append(texts.get(
                            lang,
                            "videos.line",
                            n,
                            DATE.format(view.createdAt().withOffsetSameInstant(ZoneOffset.UTC)),
                            view.template().name(),
                            view.count(),
                            states))
                    .append('\n');
            for (JobView job : view.jobs()) {
                if (job.status() == GenerationRepository.JobStatus.DELIVERED && job.telegramFileId() != null) {
                    videoButtons.add(InlineKeyboardButton.builder()
                            .text(texts.get(lang, "button.resend", n + "." + job.index()))
                            .callbackData(new Callback.Resend(job.jobId()).data())
                            .build());
                }
            }
            n++;
        }
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        for (int i = 0; i < videoButtons.size() && rows.size() < 8; i += 3) {
            rows.add(videoButtons.subList(i, Math.min(i + 3, videoButtons.size())));
        }
        if (!videoButtons.isEmpty()) {
            out.append('\n').append(texts.get(lang, "videos.more_hint"));
        }
        rows.add(List.of(button(lang, "button.menu", new Callback.Nav(Callback.Target.MENU))));
        return say(chatId, out.toString().strip(), markup(rows));
    }

    private Uni<Void> resend(long userId, long chatId, Language lang, String jobId) {
        return lookup(generations.deliveredVideo(jobId, userId)).chain(delivered -> delivered
                .map(video -> resend(chatId, lang, jobId, video))
                .orElseGet(() -> say(chatId, texts.get(lang, "video.unavailable"), null)));
    }

    private Uni<Void> resend(long chatId, Language lang, String jobId, GenerationRepository.Delivered delivered) {
        InlineKeyboardMarkup keyboard = markup(List.of(List.of(
                button(lang, "button.make_more", new Callback.MakeMore(jobId)),
                button(lang, "button.menu", new Callback.Nav(Callback.Target.MENU)))));
        InputFile file = new InputFile(delivered.telegramFileId());
        if ("DOCUMENT".equals(delivered.deliveryMode())) {
            SendDocument document = SendDocument.builder()
                    .chatId(chatId)
                    .document(file)
                    .replyMarkup(keyboard)
                    .build();
            return send(chatId, "sendDocument", client -> client.execute(document));
        }
        SendVideo video = SendVideo.builder()
                .chatId(chatId)
                .video(file)
                .supportsStreaming(true)
                .replyMarkup(keyboard)
                .build();
        return send(chatId, "sendVideo", client -> client.execute(video));
    }

    private Uni<Void> packs(long chatId, Language lang) {
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        for (CreditPack pack : packs.all()) {
            rows.add(List.of(
                    button(lang, "button.pack", new Callback.BuyPack(pack.id()), pack.credits(), pack.stars())));
        }
        rows.add(List.of(button(lang, "button.menu", new Callback.Nav(Callback.Target.MENU))));
        return say(chatId, texts.get(lang, "packs.title", rules.cheapestPrice()), markup(rows));
    }

    private Uni<Void> invoice(long chatId, Language lang, String packId) {
        var pack = packs.byId(packId);
        if (pack.isEmpty()) {
            return say(chatId, texts.get(lang, "precheckout.invalid"), null);
        }
        CreditPack p = pack.get();
        SendInvoice invoice = SendInvoice.builder()
                .chatId(chatId)
                .title(texts.get(lang, "invoice.title", p.credits()))
                .description(texts.get(lang, "invoice.description", p.credits()))
                .payload(p.payload())
                .providerToken("")
                .currency(CreditPacks.CURRENCY)
                .price(new LabeledPrice(texts.get(lang, "invoice.label", p.credits()), (int) p.stars()))
                .build();
        return send(chatId, "sendInvoice", client -> client.execute(invoice));
    }

    /**
     * One Telegram call for a reply, done before the next reply starts so that replies arrive in order. A reply that
     * cannot be sent is lost (logged by the sender, never failing): the state it followed is already saved and the
     * user can carry on.
     */
    private <T> Uni<Void> send(long chatId, String method, BotSender.Call<T> call) {
        return sender.trySend(chatId, method, call).replaceWithVoid();
    }

    /** A lookup a reply needs, failing (the reply is not sent, and that is logged) when it takes too long. */
    private static <T> Uni<T> lookup(Uni<T> lookup) {
        return lookup.ifNoItem().after(LOOKUP_TIMEOUT).fail();
    }

    // ---- keyboards ---------------------------------------------------------------------------------------------

    private InlineKeyboardMarkup keyboard(Language lang, List<List<Reply.Button>> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        List<List<InlineKeyboardButton>> out = new ArrayList<>();
        for (List<Reply.Button> row : rows) {
            out.add(row.stream()
                    .map(b -> button(lang, b.key(), b.callback(), b.args().toArray()))
                    .toList());
        }
        return markup(out);
    }

    private InlineKeyboardButton button(Language lang, String key, Callback callback, Object... args) {
        return InlineKeyboardButton.builder()
                .text(texts.get(lang, key, args))
                .callbackData(callback.data())
                .build();
    }

    private static InlineKeyboardMarkup markup(List<List<InlineKeyboardButton>> rows) {
        return InlineKeyboardMarkup.builder()
                .keyboard(rows.stream().map(InlineKeyboardRow::new).toList())
                .build();
    }

    /**
     * {@code text} in at most {@code units} UTF-16 code units, ending with "…" when cut; never splits a surrogate
     * pair (half an emoji would be an invalid string to Telegram).
     */
    static String cut(String text, int units) {
        if (text == null) {
            return "";
        }
        if (text.length() <= units) {
            return text;
        }
        int end = Math.max(0, units - 1);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /**
     * The caption {@code build} makes with its free texts cut to a budget, shrinking the budget until the whole fits
     * Telegram's limit; as a last resort the whole caption is cut.
     */
    static String fitCaption(IntFunction<String> build) {
        int budget = CAPTION_TEXT_UNITS;
        String caption = build.apply(budget);
        while (caption.length() > CAPTION_UNITS && budget > 20) {
            budget = budget * 3 / 4;
            caption = build.apply(budget);
        }
        return cut(caption, CAPTION_UNITS);
    }
}
