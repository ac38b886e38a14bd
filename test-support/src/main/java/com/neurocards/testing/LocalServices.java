package com.neurocards.testing;

/**
 * Where the local RabbitMQ and PostgreSQL are, from the same variables the services read (README.md#configuration),
 * with the defaults of a developer machine (and of CI).
 */
public final class LocalServices {

    private LocalServices() {
    }

    public static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static String rabbitHost() {
        return env("RABBITMQ_HOST", "127.0.0.1");
    }

    public static int rabbitPort() {
        return Integer.parseInt(env("RABBITMQ_PORT", "5672"));
    }

    public static int rabbitManagementPort() {
        return Integer.parseInt(env("RABBITMQ_MANAGEMENT_PORT", "15672"));
    }

    public static String rabbitUser() {
        return env("RABBITMQ_USER", "guest");
    }

    public static String rabbitPassword() {
        return env("RABBITMQ_PASSWORD", "guest");
    }

    public static String dbHost() {
        return env("DB_HOST", "127.0.0.1");
    }

    public static int dbPort() {
        return Integer.parseInt(env("DB_PORT", "5432"));
    }

    public static String dbUser() {
        return env("DB_USER", "postgres");
    }

    public static String dbPassword() {
        return env("DB_PASSWORD", "");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost() + ":" + dbPort() + "/" + database;
    }
}
