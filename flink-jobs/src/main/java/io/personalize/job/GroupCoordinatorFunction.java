package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.MAX_USERS;
import static io.personalize.job.config.PersonalizeOptions.USER_IDLE_EXPIRY;

import io.personalize.avro.GroupBoundaries;
import io.personalize.connectors.avro.CoreRecords;
import io.personalize.job.config.JobConfig;
import io.personalize.online.CountsSnapshot;
import io.personalize.online.GroupCoordinator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The group coordinator (parallelism 1), a thin adapter around {@link GroupCoordinator}: counts
 * every user's learned events and broadcasts new group boundaries when they change. It reads the
 * validated events itself rather than counts from the per-user operator, which would make a cycle.
 */
public class GroupCoordinatorFunction
    extends KeyedProcessFunction<Integer, ValidEvent, GroupBoundaries>
    implements CheckpointedFunction, CheckpointListener {
  private final JobConfig config;
  private transient GroupCoordinator coordinator;
  private transient ListState<CountsSnapshot> stored;

  public GroupCoordinatorFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    coordinator =
        new GroupCoordinator(
            config.model().groups(),
            config.model().regroupEvery(),
            config.get(MAX_USERS),
            config.millis(USER_IDLE_EXPIRY));
    stored = context.getOperatorStateStore().getListState(Descriptors.userCounts());
    for (CountsSnapshot snapshot : stored.get()) {
      coordinator.restore(snapshot);
    }
    OperatorSnapshots.release(stored);
  }

  @Override
  public void open(OpenContext context) {
    getRuntimeContext().getMetricGroup().gauge("boundaries-version", coordinator::version);
    getRuntimeContext().getMetricGroup().gauge("users-counted", () -> (long) coordinator.users());
    getRuntimeContext().getMetricGroup().gauge("users-evicted", coordinator::usersEvicted);
    getRuntimeContext().getMetricGroup().gauge("users-expired", coordinator::usersExpired);
  }

  @Override
  public void processElement(ValidEvent event, Context ctx, Collector<GroupBoundaries> out) {
    if (!Learnable.isRating(event)) {
      return;
    }
    io.personalize.model.GroupBoundaries boundaries =
        coordinator.observe(event.userId, event.eventTimeMillis);
    if (boundaries != null) {
      out.collect(CoreRecords.toAvro(boundaries, coordinator.users(), System.currentTimeMillis()));
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    stored.update(List.of(coordinator.snapshot()));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    OperatorSnapshots.release(stored);
  }
}
