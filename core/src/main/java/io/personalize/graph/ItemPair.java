package io.personalize.graph;

/**
 * One directed co-interaction: a user touched {@code to} after {@code from} within the window. It
 * adds {@code weight} to the edge from -> to as of {@code timeMillis}, the time of the later of the
 * two events.
 */
public record ItemPair(String from, String to, double weight, long timeMillis) {}
