package com.neurocards.chaos;

/**
 * {@code java -jar infra/chaos/target/chaos.jar [--short] [options]} (see {@link ChaosOptions#USAGE}), run from the
 * checkout once the services are packaged ({@code infra/chaos/run.sh} does both). Prints the table of checks, writes
 * the JSON report, and exits 0 when every check passed, 1 when one failed, 2 when the run could not be made.
 */
public final class ChaosMain {

    private ChaosMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The exit status, without exiting (for the test suite's short run). */
    public static int run(String... args) {
        if (java.util.List.of(args).contains("--help")
                || java.util.List.of(args).contains("-h")) {
            System.out.println(ChaosOptions.USAGE);
            return 0;
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            ChaosRun run = new ChaosRun(options);
            ChaosReport report = run.run();
            System.out.println();
            System.out.print(report.table());
            System.out.println("report: " + run.reportPath());
            return report.ok() ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            return 2;
        }
    }
}
