package com.neurocards.emulators.quarkus;

import com.neurocards.emulators.HttpEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.Annotation;
import java.util.Map;

/**
 * Runs an emulator for the length of a Quarkus test class: starts it on a free port, hands the application the
 * configuration that points at it (variables named as in README.md#configuration), and injects it into fields
 * annotated with {@code injectAnnotation} so a test can script it and read what it saw.
 */
public abstract class EmulatorTestResource<E extends HttpEmulator> implements QuarkusTestResourceLifecycleManager {

    private final Class<E> type;
    private final Class<? extends Annotation> injectAnnotation;
    protected E emulator;

    protected EmulatorTestResource(Class<E> type, Class<? extends Annotation> injectAnnotation) {
        this.type = type;
        this.injectAnnotation = injectAnnotation;
    }

    protected abstract E create();

    /** The configuration that points the application at the running emulator. */
    protected abstract Map<String, String> config(E emulator);

    @Override
    public Map<String, String> start() {
        emulator = create();
        emulator.start(0);
        return config(emulator);
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(emulator, new TestInjector.AnnotatedAndMatchesType(injectAnnotation, type));
    }
}
