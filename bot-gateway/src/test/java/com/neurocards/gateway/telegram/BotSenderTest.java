package com.neurocards.gateway.telegram;

import com.neurocards.telegram.TelegramConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Telegram failure is logged, never with the bot token, and never thrown at the conversation
 * (docs/architecture.md#secrets-stay-secret).
 */
class BotSenderTest {

    static final String TOKEN = "7654321:AAF-secret-token-value_xyz";

    final List<String> logged = new CopyOnWriteArrayList<>();
    final Logger logger = Logger.getLogger(BotSender.class.getName());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        logger.addHandler(capture);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void aFailedCallIsLoggedWithoutTheBotToken() {
        BotSender sender = new BotSender(null, config(), new SimpleMeterRegistry());

        Optional<Object> result = sender.send("sendMessage", client -> {
            throw new TelegramApiException("Unable to execute sendMessage at https://api.telegram.org/bot" + TOKEN
                    + "/sendMessage: connection reset");
        });

        assertThat(result).isEmpty();
        assertThat(logged).isNotEmpty().noneMatch(line -> line.contains("secret-token-value"));
        assertThat(String.join("\n", logged)).contains("sendMessage");
    }

    static TelegramConfig config() {
        return new TelegramConfig() {
            @Override
            public String botToken() {
                return TOKEN;
            }

            @Override
            public String apiUrl() {
                return "https://api.telegram.org";
            }

            @Override
            public long maxDownloadBytes() {
                return 20L * 1024 * 1024;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
