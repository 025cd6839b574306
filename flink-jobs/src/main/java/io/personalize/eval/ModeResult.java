package io.personalize.eval;

import java.util.List;

/** One mode's metrics overall and per group (group 1 = least data .. C = most). */
public record ModeResult(String mode, Metrics overall, List<Metrics> groups) {}
