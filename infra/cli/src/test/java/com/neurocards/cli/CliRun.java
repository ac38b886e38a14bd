package com.neurocards.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One run of {@code neurocards} in this JVM, as a shell would see it: exit code, standard output, standard error. */
record CliRun(int exit, String out, String err) {

    /** Runs the CLI with {@code connection} options (broker, database) put before {@code args}. */
    static CliRun of(List<String> connection, String... args) {
        CommandLine commandLine = NeuroCardsCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(connection);
        all.addAll(List.of(args));
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
