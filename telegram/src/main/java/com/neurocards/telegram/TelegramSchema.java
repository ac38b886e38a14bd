package com.neurocards.telegram;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The telegram library's own schema, {@code telegram} (the shared send spacing), migrated at start-up by every service
 * that uses the library from {@code db/telegram} in this jar, with its own Flyway history in that schema. Every
 * service migrating it is safe: Flyway locks the schema's history table while it migrates (and retries creating the
 * schema when another service created it at the same moment), so the second one finds the migrations applied.
 */
@ApplicationScoped
public class TelegramSchema {

    public static final String SCHEMA = "telegram";

    /** Before the services start their consumers and pollers, which send. */
    void onStart(
            @Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event, AgroalDataSource dataSource) {
        migrate(dataSource);
    }

    /** Applies the pending migrations of the {@code telegram} schema. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure(TelegramSchema.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/telegram")
                .load()
                .migrate();
    }
}
