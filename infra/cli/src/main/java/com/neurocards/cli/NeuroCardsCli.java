package com.neurocards.cli;

import com.neurocards.contracts.BrokerAddresses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infra/bin/neurocards}: commands for operators and developers. Connection settings come from the variables of
 * README.md#configuration ({@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_ADDRESSES}, {@code RABBITMQ_USER},
 * {@code RABBITMQ_PASSWORD}, {@code RABBITMQ_VHOST}; {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME},
 * {@code DB_USER}, {@code DB_PASSWORD}) and can be overridden per call.
 */
@Command(
        name = "neurocards",
        mixinStandardHelpOptions = true,
        version = "neurocards 0.1",
        description = "Operate NeuroCards: dead-letter queues, the story of a job, replays.",
        subcommands = {DlqCommand.class, TraceCommand.class, ReplayCommand.class})
public class NeuroCardsCli {

    @Option(names = "--rabbitmq-host", description = "Broker host (default: $RABBITMQ_HOST or 127.0.0.1)")
    String host = env("RABBITMQ_HOST", "127.0.0.1");

    @Option(names = "--rabbitmq-port", description = "Broker AMQP port (default: $RABBITMQ_PORT or 5672)")
    int port = Integer.parseInt(env("RABBITMQ_PORT", "5672"));

    @Option(
            names = "--rabbitmq-addresses",
            description = "Cluster nodes as host:port,host:port,... instead of one host and port; one that"
                    + " answers is used, tried in random order (default: $RABBITMQ_ADDRESSES)")
    String addresses = env("RABBITMQ_ADDRESSES", "");

    @Option(names = "--vhost", description = "Virtual host (default: $RABBITMQ_VHOST or /)")
    String vhost = env("RABBITMQ_VHOST", "/");

    String user = env("RABBITMQ_USER", "guest");
    String password = env("RABBITMQ_PASSWORD", "guest");

    @Option(names = "--db-host", description = "PostgreSQL host (default: $DB_HOST or 127.0.0.1)")
    String dbHost = env("DB_HOST", "127.0.0.1");

    @Option(names = "--db-port", description = "PostgreSQL port (default: $DB_PORT or 5432)")
    int dbPort = Integer.parseInt(env("DB_PORT", "5432"));

    @Option(names = "--db-name", description = "Database (default: $DB_NAME or neurocards)")
    String dbName = env("DB_NAME", "neurocards");

    @Option(names = "--db-user", description = "Database user (default: $DB_USER or postgres)")
    String dbUser = env("DB_USER", "postgres");

    String dbPassword = env("DB_PASSWORD", "");

    Broker connect() {
        return new Broker(BrokerAddresses.of(addresses, host, port), user, password, vhost);
    }

    /** A read-only connection to the services' database (the journal and jobs in {@code pipeline}, the ledger in {@code billing}). */
    Database database() {
        return new Database(dbHost, dbPort, dbName, dbUser, dbPassword);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new NeuroCardsCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return commandLine;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
