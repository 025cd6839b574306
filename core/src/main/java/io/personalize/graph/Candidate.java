package io.personalize.graph;

/** An item a walk reached, with its score (higher is better). */
public record Candidate(String item, double score) {}
