package io.personalize.perf;

import java.util.Map;

/**
 * One measurement during a flood.
 *
 * @param applied events (= users) every stream mode had scored when the sample was taken
 * @param seconds since the job was submitted
 * @param liveUsers users not yet expired: {@code applied} minus the per-user operator's {@code
 *     users-expired}
 * @param heapBytes heap used in this JVM (broker, cluster and job) right after a full GC
 * @param rssBytes this process's resident set (heap, RocksDB's native memory, code)
 * @param checkpointBytes full state size of a checkpoint triggered at the sample
 * @param stateBytes the same by task
 * @param rocksDbKeys RocksDB's estimate of its keys over every state and task (-1: not enabled)
 * @param rocksDbTimerKeys the same for the timer column families alone (-1: none, as when the
 *     timers are on the heap, the default since 2026-12-07)
 * @param usersCounted the group coordinator's {@code users-counted} gauge (heap)
 * @param globalUsers the global trainer's {@code global-users} gauge: user rows on its heap
 */
public record FloodSample(
    long applied,
    double seconds,
    long liveUsers,
    long heapBytes,
    long rssBytes,
    long checkpointBytes,
    Map<String, Long> stateBytes,
    long rocksDbKeys,
    long rocksDbTimerKeys,
    long usersCounted,
    long globalUsers) {}
