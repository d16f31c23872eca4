package com.example.notes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Proves which JUnit this run uses, so that a run on the wrong one cannot pass for the right one. */
class JUnitVersionTest {
    @Test
    void runsOnTheExpectedJUnit() {
        String version = Test.class.getPackage().getImplementationVersion();
        String expected = System.getProperty("expected.junit");
        assertTrue(version != null && version.startsWith(expected), "JUnit " + version + ", expected " + expected);
    }
}
