package io.personalize.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One process of the cluster: {@code role} is {@code kafka}, {@code jobmanager} or {@code
 * taskmanager}; a TaskManager also names its queryable-state proxy port.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterProcess(String role, long pid, Integer queryableStatePort) {
  public static final String KAFKA = "kafka";
  public static final String JOBMANAGER = "jobmanager";
  public static final String TASKMANAGER = "taskmanager";

  @JsonIgnore
  public boolean isAlive() {
    return JavaProcesses.isAlive(pid);
  }

  ClusterProcess withPid(long newPid) {
    return new ClusterProcess(role, newPid, queryableStatePort);
  }
}
