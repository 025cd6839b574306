package io.personalize.job.harness;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.operators.testutils.MockInputSplitProvider;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Reading the metrics an operator under test registers (top level of its group). Harnesses that
 * take an environment: build them on {@link #environment}, a task metric group whose operator group
 * keeps what is registered. Harnesses that build their own environment (the keyed broadcast and
 * two-input ones): {@link #registeredOn} reads the operator's own group.
 */
final class OperatorMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
  private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

  @Override
  public InternalOperatorMetricGroup getOrAddOperator(
      OperatorID operatorID, String name, Map<String, String> additionalVariables) {
    return operator;
  }

  /** The metric the operator registered under {@code name}; null if none. */
  Metric get(String name) {
    return operator.get(name);
  }

  /** The count of the counter the operator registered under {@code name}. */
  long count(String name) {
    return counter(operator.get(name), name).getCount();
  }

  /**
   * The metrics registered so far on the operator's own metric group (top level), by name. The
   * harness's default group keeps them without reporting them anywhere; this reads its private map.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Metric> registeredOn(AbstractStreamOperatorTestHarness<?> harness) {
    MetricGroup group = harness.getOperator().getMetricGroup();
    try {
      Field metrics = AbstractMetricGroup.class.getDeclaredField("metrics");
      metrics.setAccessible(true);
      synchronized (group) {
        return Map.copyOf((Map<String, Metric>) metrics.get(group));
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read the metrics of " + group, e);
    }
  }

  /** The count of the counter {@code name} registered on the harness's operator. */
  static long count(AbstractStreamOperatorTestHarness<?> harness, String name) {
    return counter(registeredOn(harness).get(name), name).getCount();
  }

  /** The value of the gauge {@code name} registered on the harness's operator. */
  static Object gauge(AbstractStreamOperatorTestHarness<?> harness, String name) {
    Metric metric = registeredOn(harness).get(name);
    if (!(metric instanceof Gauge<?> gauge)) {
      throw new AssertionError("no gauge '" + name + "' registered, found " + metric);
    }
    return gauge.getValue();
  }

  private static Counter counter(Metric metric, String name) {
    if (!(metric instanceof Counter counter)) {
      throw new AssertionError("no counter '" + name + "' registered, found " + metric);
    }
    return counter;
  }

  /** A mock task environment (parallelism 1) reporting to this group, as the harnesses build it. */
  MockEnvironment environment() {
    return environment(1, 1, 0);
  }

  /** A mock task environment of subtask {@code index} of {@code parallelism}. */
  MockEnvironment environment(int maxParallelism, int parallelism, int index) {
    return new MockEnvironmentBuilder()
        .setTaskName("MockTask")
        .setManagedMemorySize(3 * 1024 * 1024)
        .setInputSplitProvider(new MockInputSplitProvider())
        .setBufferSize(1024)
        .setMaxParallelism(maxParallelism)
        .setParallelism(parallelism)
        .setSubtaskIndex(index)
        .setMetricGroup(this)
        .build();
  }
}
