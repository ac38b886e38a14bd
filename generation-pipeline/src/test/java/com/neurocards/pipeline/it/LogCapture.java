package com.neurocards.pipeline.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/** Every log record of the service while installed, with the logging context (MDC) it was logged with. */
final class LogCapture extends ExtHandler implements AutoCloseable {

    record Line(String logger, String thread, String message, Map<String, String> mdc) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    LogCapture() {
        root.addHandler(this);
    }

    @Override
    protected void doPublish(ExtLogRecord record) {
        lines.add(new Line(
                record.getLoggerName(), record.getThreadName(), record.getFormattedMessage(), record.getMdcCopy()));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
